import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, openSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Logger } from 'pino';
import { RuntimeApi } from './runtime-api';

const run = promisify(execFile);
const START_TIMEOUT_MS = 15_000;
const WATCH_INTERVAL_MS = 250;

export interface HaproxyProcessOptions {
  readonly binary: string;
  readonly runDir: string;
  readonly configFile: string;
  readonly adminSocket: string;
  /** Variables HAProxy's config reads (the derived keys); nothing else of the agent's env is passed. */
  readonly env: Readonly<Record<string, string>>;
  /** How long a soft stop may take before HAProxy is killed. */
  readonly drainTimeoutMs: number;
  readonly logger: Logger;
}

/** How the agent came to have its HAProxy. */
export type StartOutcome = 'started' | 'adopted' | 'replaced';

/**
 * The HAProxy process the agent supervises. It runs detached, so it outlives the agent: an
 * agent that restarts finds it through the pid file and adopts it when its config is the
 * same (no request is dropped), or replaces it seamlessly (`-sf`: the new process takes
 * over the listening port, the old one finishes its requests) when the config changed.
 */
export class HaproxyProcess {
  readonly api: RuntimeApi;
  private pid: number | undefined;
  private child: ChildProcess | undefined;
  private watcher: NodeJS.Timeout | undefined;
  private readonly pidFile: string;
  private readonly hashFile: string;
  private readonly logFile: string;

  constructor(private readonly options: HaproxyProcessOptions) {
    this.api = new RuntimeApi(options.adminSocket);
    this.pidFile = join(options.runDir, 'haproxy.pid');
    this.hashFile = join(options.runDir, 'haproxy.cfg.sha256');
    this.logFile = join(options.runDir, 'haproxy.log');
  }

  get processId(): number | undefined {
    return this.pid;
  }

  /** Checks a config with `haproxy -c`; throws with HAProxy's own words when it is invalid. */
  async check(configFile = this.options.configFile): Promise<void> {
    try {
      await run(this.options.binary, ['-c', '-f', configFile], { env: this.env() });
    } catch (error) {
      const { stderr, stdout, message } = error as {
        stderr?: string;
        stdout?: string;
        message: string;
      };
      throw new Error(`HAProxy rejected ${configFile}: ${(stderr || stdout || message).trim()}`);
    }
  }

  /**
   * Makes sure an HAProxy serves `config` (already written to the config file, with its map
   * files): adopts a running one with the same config, else starts one (replacing a running one).
   */
  async start(config: string): Promise<StartOutcome> {
    const hash = createHash('sha256')
      .update(config)
      .update(JSON.stringify(this.options.env))
      .digest('hex');
    const running = await this.runningPid();
    if (running !== undefined) {
      const sameConfig = (await readFile(this.hashFile, 'utf8').catch(() => '')) === hash;
      if (sameConfig && (await this.api.alive())) {
        this.pid = running;
        this.options.logger.info({ pid: running }, 'adopted the running HAProxy');
        return 'adopted';
      }
    }
    await this.check();
    await this.spawn(running);
    await writeFile(this.hashFile, hash, { mode: 0o600 });
    return running === undefined ? 'started' : 'replaced';
  }

  /** Calls `onExit` (once per exit) when HAProxy is found gone. */
  watch(onExit: () => void): void {
    clearInterval(this.watcher);
    this.watcher = setInterval(() => {
      if (this.pid !== undefined && !isAlive(this.pid)) {
        this.options.logger.error({ pid: this.pid }, 'HAProxy exited; starting it again');
        this.pid = undefined;
        onExit();
      }
    }, WATCH_INTERVAL_MS);
    this.watcher.unref();
  }

  /** Stops watching and leaves HAProxy serving (an agent restart, or a test playing one). */
  detach(): void {
    clearInterval(this.watcher);
    this.watcher = undefined;
    this.child?.unref();
  }

  /** Soft stop: HAProxy stops listening, finishes what is in flight, then exits. */
  async stop(): Promise<void> {
    this.detach();
    const pid = this.pid ?? (await this.runningPid());
    this.pid = undefined;
    if (pid === undefined) return;
    signal(pid, 'SIGUSR1');
    const deadline = Date.now() + this.options.drainTimeoutMs + 2000;
    while (isAlive(pid) && Date.now() < deadline) await sleep(25);
    if (isAlive(pid)) signal(pid, 'SIGKILL');
  }

  private async spawn(previous: number | undefined): Promise<void> {
    const out = openSync(this.logFile, 'a', 0o600);
    const args = ['-db', '-f', this.options.configFile];
    if (previous !== undefined) args.push('-sf', String(previous));
    const child = spawn(this.options.binary, args, {
      detached: true,
      stdio: ['ignore', out, out],
      env: this.env(),
    });
    closeSync(out);
    this.child = child;
    let exited: string | undefined;
    child.once('exit', (code, sig) => {
      exited = `exited with ${sig ?? `code ${code}`}`;
    });
    child.once('error', (error) => {
      exited = error.message;
    });
    const deadline = Date.now() + START_TIMEOUT_MS;
    for (;;) {
      if (exited !== undefined) throw new Error(`HAProxy ${exited}: ${await this.logTail()}`);
      if (child.pid !== undefined && (await this.api.alive())) break;
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`HAProxy did not answer on its socket within ${START_TIMEOUT_MS} ms`);
      }
      await sleep(20);
    }
    this.pid = child.pid;
    await writeFile(this.pidFile, String(child.pid), { mode: 0o600 });
    this.options.logger.info({ pid: child.pid, replaced: previous }, 'HAProxy started');
  }

  /** The pid in the pid file when that process is alive and is HAProxy with our config. */
  private async runningPid(): Promise<number | undefined> {
    const pid = Number((await readFile(this.pidFile, 'utf8').catch(() => '')).trim());
    if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return undefined;
    const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    return cmdline.includes(this.options.configFile) ? pid : undefined;
  }

  private env(): NodeJS.ProcessEnv {
    return { PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin', ...this.options.env };
  }

  private async logTail(): Promise<string> {
    const text = await readFile(this.logFile, 'utf8').catch(() => '');
    return text.split('\n').slice(-20).join('\n').trim();
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // Already gone.
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
