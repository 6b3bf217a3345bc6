import { Command, CommanderError } from 'commander';
import { registerAccessKeys } from './commands/access-keys';
import { registerAnalytics } from './commands/analytics';
import { registerConfig } from './commands/config';
import { registerDeploy } from './commands/deploy';
import { registerEvents } from './commands/events';
import { registerIac } from './commands/iac';
import { registerInspect } from './commands/inspect';
import { registerLogs } from './commands/logs';
import { registerOperations } from './commands/operations';
import { registerOrgs } from './commands/orgs';
import { registerProjects } from './commands/projects';
import { registerResourceProfiles } from './commands/resource-profiles';
import { registerServices } from './commands/services';
import { registerVolumes } from './commands/volumes';
import { CliError, EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from './errors';
import { colorEnabled, formatError, type Stream } from './output';

const EXIT_CODES_HELP = `
Exit codes:
  0  success
  1  failure (an API error, a deployment or operation that did not succeed)
  2  usage error (unknown command or option, missing or invalid value)

Configuration: $XDG_CONFIG_HOME/slipway/config.json (default ~/.config); SLIPWAY_API_URL and
SLIPWAY_TOKEN override it. NO_COLOR turns colours off.
`;

export function buildProgram(): Command {
  const program = new Command('slipway')
    .description('Run any container on Slipway and give it a hostname')
    .version('0.1.0')
    .showHelpAfterError('(add --help for usage)')
    .exitOverride()
    .addHelpText('after', EXIT_CODES_HELP);
  registerConfig(program);
  registerOrgs(program);
  registerProjects(program);
  registerResourceProfiles(program);
  registerAccessKeys(program);
  const service = registerServices(program);
  registerDeploy(service);
  registerOperations(service);
  registerEvents(service);
  registerInspect(service);
  registerVolumes(service);
  registerLogs(service);
  registerAnalytics(service);
  registerIac(program);
  return program;
}

/** Runs one invocation and answers its exit code; errors are printed, never thrown. */
export async function run(
  argv: readonly string[],
  stderr: Stream = process.stderr,
): Promise<number> {
  try {
    await buildProgram().parseAsync([...argv], { from: 'user' });
    return EXIT_OK;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander has printed its own `error: …` line (or the help) already.
      const shownOnRequest = ['commander.helpDisplayed', 'commander.version'].includes(error.code);
      return shownOnRequest ? EXIT_OK : EXIT_USAGE;
    }
    const message = error instanceof Error ? error.message : String(error);
    // An empty message carries only an exit code (`iac plan` with changes).
    if (message !== '') stderr.write(formatError(message, colorEnabled(stderr)));
    return error instanceof CliError ? error.exitCode : EXIT_FAILURE;
  }
}
