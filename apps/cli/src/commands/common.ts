import { type Command, InvalidArgumentError } from 'commander';
import { createApi, type Api } from '../client';
import { loadSettings } from '../config';
import { UsageError } from '../errors';
import { Output } from '../output';

export interface JsonOption {
  json?: boolean;
}

/** A command with `--json` and an example in its help; `details` shows only in its own help. */
export function leaf(
  parent: Command,
  name: string,
  summary: string,
  example: string,
  details?: string,
): Command {
  return parent
    .command(name)
    .summary(summary)
    .description(details ? `${summary}. ${details}` : summary)
    .option('--json', 'print machine-readable JSON on stdout')
    .addHelpText('after', `\nExample:\n  $ ${example}\n`);
}

/** A command that only groups others, with examples of them in its help. */
export function group(
  parent: Command,
  name: string,
  description: string,
  examples: string[],
): Command {
  return parent
    .command(name)
    .description(description)
    .addHelpText('after', `\nExamples:\n${examples.map((e) => `  $ ${e}\n`).join('')}`);
}

/** Runs `run` with the command's options, an output and (lazily) the configured API. */
export function handle<O extends JsonOption>(
  command: Command,
  run: (options: O, output: Output, api: () => Promise<Api>) => Promise<void>,
): Command {
  return command.action(async () => {
    const options = command.opts<O>();
    await run(options, new Output(options.json === true), async () =>
      createApi(await loadSettings()),
    );
  });
}

/** Commander parser for a whole number within bounds (a bad value is a usage error). */
export function integerIn(min: number, max: number): (value: string) => number {
  return (value) => {
    const parsed = Number(value);
    if (!/^\d+$/.test(value) || parsed < min || parsed > max) {
      throw new InvalidArgumentError(`must be a whole number from ${min} to ${max}`);
    }
    return parsed;
  };
}

/** The project given on the command line, else the one `slipway project set` chose. */
export function projectIdOf(api: Api, given: string | undefined): string {
  const projectId = given ?? api.settings.projectId;
  if (!projectId) {
    throw new UsageError(
      'no project selected: pass --project-id or run `slipway project set --id PROJECT_ID`',
    );
  }
  return projectId;
}
