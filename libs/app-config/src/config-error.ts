/** Every problem found while loading a config, reported at once. */
export class ConfigError extends Error {
  constructor(
    readonly problems: string[],
    /** First line of the message, naming whose configuration it is. */
    title = 'Invalid configuration',
  ) {
    super(`${title}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}
