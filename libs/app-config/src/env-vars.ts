/** How an environment variable's text becomes a config value; `list` is comma-separated. */
export type EnvVarKind = 'string' | 'integer' | 'boolean' | 'list';

/**
 * One environment variable a process reads: where it lands in the config, how it is parsed,
 * what the docs say about it, and whether it is sensitive (redacted whenever config is logged).
 */
export interface EnvVarDefinition {
  readonly name: string;
  /** Dotted path in the config object; absent for variables that steer loading itself. */
  readonly path?: string;
  readonly kind: EnvVarKind;
  readonly description: string;
  /** The default as the docs show it. */
  readonly defaultValue: string;
  readonly sensitive: boolean;
}

/** How strictly values are read; the defaults suit most processes. */
export interface EnvParsing {
  /**
   * Trim every value and treat a blank one as unset (default). When false, only the empty
   * string is unset and `string` values are kept exactly as given.
   */
  readonly trimValues?: boolean;
  /**
   * Accept a leading minus on `integer` values ("must be an integer"). By default they are
   * whole numbers ("must be a whole number").
   */
  readonly signedIntegers?: boolean;
  /** Accept yes/no as well as true/false and 1/0 for `boolean` values (default true). */
  readonly yesNoBooleans?: boolean;
}

export type ParsedEnvValue = { readonly value: unknown } | { readonly problem: string };

/** Whether a variable that is present still counts as unset. */
export function isBlankEnvValue(value: string, parsing: EnvParsing = {}): boolean {
  return (parsing.trimValues ?? true) ? value.trim() === '' : value === '';
}

/** Parses one set variable by its kind; a problem names the variable and the value given. */
export function parseEnvValue(
  definition: EnvVarDefinition,
  value: string,
  parsing: EnvParsing = {},
): ParsedEnvValue {
  const trimmed = value.trim();
  switch (definition.kind) {
    case 'string':
      return { value: (parsing.trimValues ?? true) ? trimmed : value };
    case 'integer':
      if (parsing.signedIntegers) {
        return /^-?\d+$/.test(trimmed)
          ? { value: Number(trimmed) }
          : { problem: `${definition.name}: must be an integer (got '${value}')` };
      }
      return /^\d+$/.test(trimmed)
        ? { value: Number(trimmed) }
        : { problem: `${definition.name}: must be a whole number (got '${value}')` };
    case 'boolean': {
      const yesNo = parsing.yesNoBooleans ?? true;
      const word = trimmed.toLowerCase();
      if (word === 'true' || word === '1' || (yesNo && word === 'yes')) return { value: true };
      if (word === 'false' || word === '0' || (yesNo && word === 'no')) return { value: false };
      return { problem: `${definition.name}: must be true or false (got '${value}')` };
    }
    case 'list':
      return {
        value: value
          .split(',')
          .map((item) => item.trim())
          .filter((item) => item.length > 0),
      };
  }
}
