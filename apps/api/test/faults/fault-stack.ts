/**
 * Real processes the fault suite may kill: its own PostgreSQL (initdb/pg_ctl on a free
 * port), Redis (another port), the API and a builder, each a child process started from
 * the compiled apps. Killing any of them disturbs nothing else on the machine.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, mkdtempSync, openSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Dockerode from 'dockerode';
import { eventually } from '../support/eventually';
import { freePort, requiredEnv } from '../support/docker-stack';

const ROOT = join(__dirname, '..', '..', '..', '..');
const TOKEN = `slp_pat_faults_${randomBytes(12).toString('hex')}`;

/** PostgreSQL refuses to run as root: run its tools as `postgres` when we are root. */
function asPostgres(binary: string, args: string[]): void {
  const command = process.getuid?.() === 0 ? 'runuser' : binary;
  const fullArgs = process.getuid?.() === 0 ? ['-u', 'postgres', '--', binary, ...args] : args;
  execFileSync(command, fullArgs, { stdio: 'ignore', timeout: 60_000 });
}

function postgresBin(name: string): string {
  const versions = readdirSync('/usr/lib/postgresql').sort().reverse();
  for (const version of versions) return join('/usr/lib/postgresql', version, 'bin', name);
  throw new Error('PostgreSQL server binaries are not in /usr/lib/postgresql');
}

export class FaultStack {
  readonly run = randomBytes(4).toString('hex');
  readonly network = `slipway-faults-${this.run}`;
  readonly docker = new Dockerode();
  readonly token = TOKEN;
  private readonly dir = mkdtempSync(join(tmpdir(), 'slipway-faults-'));
  private api: ChildProcess | undefined;
  private builder: ChildProcess | undefined;
  private redis: ChildProcess | undefined;
  pgPort = 0;
  redisPort = 0;
  apiPort = 0;

  get apiUrl(): string {
    return `http://127.0.0.1:${this.apiPort}`;
  }

  async start(): Promise<void> {
    [this.pgPort, this.redisPort, this.apiPort] = await Promise.all([
      freePort(),
      freePort(),
      freePort(),
    ]);
    if (process.getuid?.() === 0) chownSync(this.dir, ...postgresIds());
    asPostgres(postgresBin('initdb'), ['-D', this.pgData, '-U', 'postgres', '--auth=trust']);
    this.startPostgres();
    await this.startRedis();
    for (const app of ['api', 'builder']) {
      execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], {
        cwd: join(ROOT, 'apps', app),
        stdio: 'inherit',
      });
    }
    await this.startApi();
    this.startBuilder();
  }

  private get pgData(): string {
    return join(this.dir, 'pg');
  }

  startPostgres(): void {
    asPostgres(postgresBin('pg_ctl'), [
      '-D',
      this.pgData,
      '-l',
      join(this.dir, 'pg', 'server.log'),
      '-o',
      `-p ${this.pgPort} -k ${this.dir} -c listen_addresses=127.0.0.1`,
      '-w',
      'start',
    ]);
  }

  stopPostgres(): void {
    asPostgres(postgresBin('pg_ctl'), ['-D', this.pgData, '-m', 'fast', '-w', 'stop']);
  }

  async startRedis(): Promise<void> {
    this.redis = spawn(
      'redis-server',
      ['--port', String(this.redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: 'ignore' },
    );
    await eventually(
      () => Promise.resolve(this.redisAnswers()),
      (ok) => ok,
    );
  }

  async stopRedis(): Promise<void> {
    await stopChild(this.redis, 'SIGTERM');
    this.redis = undefined;
  }

  private redisAnswers(): boolean {
    try {
      execFileSync('redis-cli', ['-p', String(this.redisPort), 'ping'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  }

  async startApi(): Promise<void> {
    this.api = spawn(process.execPath, ['dist/main.js'], {
      cwd: join(ROOT, 'apps', 'api'),
      env: {
        ...process.env,
        DATABASE_URL: `postgres://postgres@127.0.0.1:${this.pgPort}/postgres`,
        REDIS_URL: `redis://127.0.0.1:${this.redisPort}`,
        PORT: String(this.apiPort),
        SLIPWAY_INTERNAL_URL: this.apiUrl,
        SLIPWAY_SERVICES_ENABLED: 'true',
        SLIPWAY_BOOTSTRAP_TOKEN: TOKEN,
        SLIPWAY_RATE_LIMIT_PER_MINUTE: '100000',
        SLIPWAY_REGISTRY: requiredEnv('SLIPWAY_TEST_REGISTRY'),
        SLIPWAY_BLOB_DIR: join(this.dir, 'bundles'),
        SLIPWAY_DOCKER_NETWORK: this.network,
        SLIPWAY_DRAIN_SECONDS: '1',
        SLIPWAY_DOCKER_STOP_TIMEOUT_SECONDS: '1',
        SLIPWAY_HEALTH_WATCH_SECONDS: '1',
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'ignore', openSync(join(this.dir, 'api.log'), 'a')],
    });
    await eventually(
      () =>
        this.get('/readyz').then(
          (res) => res.status,
          () => 0,
        ),
      (status) => status === 200,
      60_000,
    );
  }

  /** `kill -9`: no shutdown hooks, no lock release, jobs left active. */
  async killApi(): Promise<void> {
    await stopChild(this.api, 'SIGKILL');
    this.api = undefined;
  }

  startBuilder(): void {
    this.builder = spawn(process.execPath, ['dist/main.js'], {
      cwd: join(ROOT, 'apps', 'builder'),
      env: {
        ...process.env,
        REDIS_URL: `redis://127.0.0.1:${this.redisPort}`,
        SLIPWAY_BUILDER_WORK_DIR: join(this.dir, 'builds'),
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'ignore', openSync(join(this.dir, 'builder.log'), 'a')],
    });
  }

  async killBuilder(): Promise<void> {
    await stopChild(this.builder, 'SIGKILL');
    this.builder = undefined;
  }

  async get(path: string): Promise<{ status: number; body: unknown }> {
    return this.call('GET', path);
  }

  /** A text answer (build logs), empty when the API does not answer. */
  async text(path: string): Promise<string> {
    const res = await fetch(`${this.apiUrl}${path}`, {
      headers: { Authorization: `Bearer ${TOKEN}` },
      signal: AbortSignal.timeout(10_000),
    }).catch(() => undefined);
    return res?.ok ? res.text() : '';
  }

  async call(
    method: string,
    path: string,
    body?: object | FormData,
  ): Promise<{ status: number; body: unknown }> {
    const res = await fetch(`${this.apiUrl}${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${TOKEN}`,
        ...(body === undefined || body instanceof FormData
          ? {}
          : { 'Content-Type': 'application/json' }),
      },
      body: body === undefined || body instanceof FormData ? body : JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
    return { status: res.status, body: await res.json() };
  }

  async stop(): Promise<void> {
    await Promise.all([this.killApi(), this.killBuilder(), this.stopRedis()]);
    try {
      this.stopPostgres();
    } catch {
      // already stopped by a test
    }
    const containers = await this.docker.listContainers({
      all: true,
      filters: { label: [`slipway.managed-by=slipway`] },
    });
    for (const info of containers) {
      if (info.HostConfig.NetworkMode !== this.network) continue;
      await this.docker.getContainer(info.Id).remove({ force: true });
    }
    await this.docker
      .getNetwork(this.network)
      .remove()
      .catch(() => undefined);
    rmSync(this.dir, { recursive: true, force: true });
  }
}

function postgresIds(): [number, number] {
  const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
  return [uid, gid];
}

async function stopChild(child: ChildProcess | undefined, signal: NodeJS.Signals): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill(signal);
  await exited;
}
