import { ConfigError } from './config-error';

/**
 * Starts a process: loads its config, then runs `start` with it. A ConfigError prints every
 * problem, any other failure its stack ("<appName> failed to start: ..."); both exit 1.
 */
export async function runMain<C>(
  appName: string,
  load: () => C,
  start: (config: C) => Promise<void>,
): Promise<void> {
  let config: C;
  try {
    config = load();
  } catch (error) {
    return exitWith(error instanceof ConfigError ? `${error.message}\n` : failure(appName, error));
  }
  try {
    await start(config);
  } catch (error) {
    exitWith(failure(appName, error));
  }
}

function failure(appName: string, error: unknown): string {
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  return `${appName} failed to start: ${detail}\n`;
}

function exitWith(message: string): never {
  process.stderr.write(message);
  process.exit(1);
}
