import { type Command, InvalidArgumentError } from 'commander';
import { call, createApi, listAll, type Api } from '../client';
import { loadSettings } from '../config';
import { CliError, UsageError } from '../errors';
import { Output } from '../output';

export interface JsonOption {
  json?: boolean;
}

/** `Example:` (or `Examples:`) with each command line after a `$`. */
function examplesHelp(examples: readonly string[]): string {
  const lines = examples.map((e) => `  $ ${e.trim()}\n`).join('');
  return `\n${examples.length > 1 ? 'Examples' : 'Example'}:\n${lines}`;
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
    .addHelpText('after', examplesHelp(example.split('\n')));
}

/** A command that only groups others, with examples of them in its help. */
export function group(
  parent: Command,
  name: string,
  description: string,
  examples: string[],
): Command {
  return parent.command(name).description(description).addHelpText('after', examplesHelp(examples));
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

/** How a service command names its service: `--id`, or `--name` within the current project. */
export interface ServiceTarget extends JsonOption {
  id?: string;
  name?: string;
}

/** Adds `--id` and `--name` to a service command; `connectToService` reads them. */
export function serviceTarget(command: Command): Command {
  return command
    .option('--id <id>', 'the service id')
    .option(
      '--name <name>',
      'the service name, looked up in the current project (instead of --id)',
    );
}

/**
 * Connects and answers the service's id: `--id` as given, or the one service called
 * `--name` in the current project. The flags are checked before any connection is made.
 */
export async function connectToService(
  target: ServiceTarget,
  connect: () => Promise<Api>,
): Promise<{ api: Api; id: string }> {
  const { id, name } = target;
  if (id !== undefined && name !== undefined) {
    throw new UsageError('give either --id or --name, not both');
  }
  if (id === undefined && name === undefined) {
    throw new UsageError('name the service: --id SERVICE_ID or --name NAME');
  }
  const api = await connect();
  if (id !== undefined) return { api, id };
  const projectId = api.settings.projectId;
  if (!projectId) {
    throw new UsageError(
      `--name ${name} is looked up in the current project and none is selected: run \`slipway project set --id PROJECT_ID\` or pass --id`,
    );
  }
  const services = await listAll((page) =>
    call(
      api,
      api.client.GET('/v1/services', {
        params: { query: { project_id: projectId, page, per_page: 100 } },
      }),
    ),
  );
  return { api, id: uniqueServiceId(services, name ?? '', projectId) };
}

/** The id of the one service called `name`; none or several is an error naming the problem. */
export function uniqueServiceId(
  services: readonly { id: string; name: string }[],
  name: string,
  projectId: string,
): string {
  const matches = services.filter((service) => service.name === name);
  const [only] = matches;
  if (only && matches.length === 1) return only.id;
  if (matches.length === 0) {
    throw new CliError(
      `no service named "${name}" in project ${projectId} (\`slipway service list\` shows them)`,
    );
  }
  throw new CliError(
    `${matches.length} services are named "${name}" in project ${projectId}: pass --id (${matches.map((s) => s.id).join(', ')})`,
  );
}
