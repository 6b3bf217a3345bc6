import { type ChildProcess, spawn } from 'node:child_process';
import type { Logger } from 'pino';

export interface SuperviseOptions {
  readonly command: string;
  readonly args: readonly string[];
  readonly env: NodeJS.ProcessEnv;
  readonly logger: Logger;
  /** First wait before a restart; it doubles per quick failure up to `maxDelayMs`. @default 250 */
  readonly minDelayMs?: number;
  /** @default 5000 */
  readonly maxDelayMs?: number;
  /** A child that ran this long before exiting is restarted after `minDelayMs` again. @default 30000 */
  readonly healthyAfterMs?: number;
}

export interface Supervised {
  /** The running child's pid (undefined between a crash and its restart). */
  pid(): number | undefined;
  /** How many times the child was started. */
  starts(): number;
  /** Forwards `signal` and resolves with the child's exit code once it has exited (no restart). */
  stop(signal?: NodeJS.Signals): Promise<number>;
}

/**
 * Keeps one child process running: restarted, with backoff, whenever it exits unasked. The
 * edge runs its agent this way, so an agent crash restarts the agent alone: HAProxy, which
 * the agent started detached, serves on and is adopted by the next agent.
 */
export function supervise(options: SuperviseOptions): Supervised {
  const minDelay = options.minDelayMs ?? 250;
  const maxDelay = options.maxDelayMs ?? 5000;
  const healthyAfter = options.healthyAfterMs ?? 30_000;
  let child: ChildProcess | undefined;
  let starts = 0;
  let delay = minDelay;
  let stopping: Promise<number> | undefined;
  let timer: NodeJS.Timeout | undefined;

  const start = (): void => {
    const startedAt = Date.now();
    starts += 1;
    const current = spawn(options.command, [...options.args], {
      env: options.env,
      stdio: 'inherit',
    });
    child = current;
    current.once('exit', (code, signal) => {
      child = undefined;
      if (stopping) return;
      delay = Date.now() - startedAt >= healthyAfter ? minDelay : delay;
      options.logger.error(
        { code, signal, restartInMs: delay },
        'the edge agent exited; restarting it (HAProxy serves on)',
      );
      timer = setTimeout(start, delay);
      delay = Math.min(maxDelay, delay * 2);
    });
  };
  start();

  return {
    pid: () => child?.pid,
    starts: () => starts,
    stop(signal = 'SIGTERM') {
      stopping ??= new Promise<number>((resolve) => {
        clearTimeout(timer);
        const current = child;
        if (!current) {
          resolve(0);
          return;
        }
        current.once('exit', (code) => resolve(code ?? 1));
        current.kill(signal);
      });
      return stopping;
    },
  };
}
