/**
 * The README's first command, proven: `docker-compose up -d --build` brings up the whole
 * platform (the stand-in images of scripts/make-local-*-image*.sh where nothing can be
 * pulled), the quick start runs against it with the built CLI and through the edge, and
 * `docker-compose down -v` leaves none of the stack's containers, networks or volumes.
 * .ci/run builds the images beforehand, so `--build` here only checks they are current.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { runCli, throughEdge, type Result } from './support';

const run = promisify(execFile);
const ROOT = join(__dirname, '..', '..', '..');
const BOOTSTRAP_TOKEN = 'slp_pat_local_dev_bootstrap_token_change_me';
const PROJECT = `slipway-e2e-${randomBytes(3).toString('hex')}`;
const PORTS = { api: 13900, registry: 15900, edge: 18900, collector: 14900 };
const ENV = {
  ...process.env,
  COMPOSE_PROJECT_NAME: PROJECT,
  SLIPWAY_NODE_IMAGE: process.env.SLIPWAY_NODE_IMAGE ?? 'slipway-local/node:20',
  SLIPWAY_POSTGRES_IMAGE: process.env.SLIPWAY_POSTGRES_IMAGE ?? 'slipway-local/postgres:15',
  SLIPWAY_REDIS_IMAGE: process.env.SLIPWAY_REDIS_IMAGE ?? 'slipway-local/redis:7',
  SLIPWAY_REGISTRY_IMAGE: process.env.SLIPWAY_REGISTRY_IMAGE ?? 'slipway-local/registry:2',
  SLIPWAY_API_PORT: String(PORTS.api),
  SLIPWAY_REGISTRY_PORT: String(PORTS.registry),
  SLIPWAY_EDGE_PORT: String(PORTS.edge),
  SLIPWAY_COLLECTOR_PORT: String(PORTS.collector),
  SLIPWAY_DOCKER_NETWORK: `${PROJECT}-services`,
};
const BASE_IMAGE = process.env.SLIPWAY_TEST_BASE_IMAGE ?? 'busybox:1.36';

const compose = (...args: string[]) =>
  run('docker-compose', ['-f', join(ROOT, 'docker-compose.yml'), ...args], {
    env: ENV,
    maxBuffer: 64 * 1024 * 1024,
  });
const docker = async (...args: string[]) =>
  (await run('docker', args, { maxBuffer: 16 * 1024 * 1024 })).stdout.trim();

/** The names of what Docker holds for the compose project (its label, and its network). */
async function leftovers(): Promise<string[]> {
  const label = `label=com.docker.compose.project=${PROJECT}`;
  const found = await Promise.all([
    docker('ps', '-a', '--filter', label, '--format', 'container {{.Names}}'),
    docker('network', 'ls', '--filter', label, '--format', 'network {{.Name}}'),
    docker(
      'network',
      'ls',
      '--filter',
      `name=^${ENV.SLIPWAY_DOCKER_NETWORK}$`,
      '--format',
      'network {{.Name}}',
    ),
    docker('volume', 'ls', '--filter', label, '--format', 'volume {{.Name}}'),
    docker(
      'ps',
      '-a',
      '--filter',
      `network=${ENV.SLIPWAY_DOCKER_NETWORK}`,
      '--format',
      'container {{.Names}}',
    ),
  ]);
  return [...new Set(found.flatMap((out) => out.split('\n')).filter(Boolean))].sort();
}

/** Slipway's instances on the stack's services network (the stack's own containers are there too). */
const serviceInstances = () =>
  docker(
    'ps',
    '-aq',
    '--filter',
    'label=slipway.managed-by=slipway',
    '--filter',
    `network=${ENV.SLIPWAY_DOCKER_NETWORK}`,
  );

async function healthy(service: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const id = (await compose('ps', '-q', service)).stdout.trim();
    const state = id
      ? await docker('inspect', '--format', '{{.State.Health.Status}}', id)
      : 'absent';
    if (state === 'healthy') return;
    if (Date.now() > deadline) throw new Error(`${service} is ${state} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

describe('docker-compose up: the whole platform locally, and the quick start against it', () => {
  let home = '';

  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'slipway-compose-e2e-'));
    await compose('up', '-d', '--build');
    for (const service of ['postgres', 'redis', 'api', 'collector', 'edge'])
      await healthy(service, 180_000);
  }, 1_200_000);

  afterAll(async () => {
    // Leaves nothing behind even when a test failed part-way (a service left running first).
    const instances = await docker(
      'ps',
      '-aq',
      '--filter',
      `network=${ENV.SLIPWAY_DOCKER_NETWORK}`,
    ).catch(() => '');
    const ours = instances.split('\n').filter((id) => id !== '');
    if (ours.length) await docker('rm', '-f', ...ours).catch(() => undefined);
    await compose('down', '-v', '--remove-orphans').catch(() => undefined);
    await rm(home, { recursive: true, force: true });
  }, 300_000);

  const slipway = (args: string[]): Promise<Result> => runCli(args, { home, timeoutMs: 300_000 });

  const through = (hostname: string, headers: Record<string, string> = {}) =>
    throughEdge(PORTS.edge, hostname, '/index.html', headers);

  it('serves the quick start: config, create, deploy a directory, call it through the edge with an Access Key, logs, traces; stop/start keeps it; down -v leaves nothing', async () => {
    const config = await slipway([
      'config',
      '--api-url',
      `http://127.0.0.1:${PORTS.api}`,
      '--token',
      BOOTSTRAP_TOKEN,
    ]);
    expect(config.code).toBe(0);
    // The API serves the dashboard at /.
    const dashboard = await fetch(`http://127.0.0.1:${PORTS.api}/`, {
      headers: { accept: 'text/html' },
    });
    expect(dashboard.status).toBe(200);
    expect(await dashboard.text()).toContain('<div id="root">');
    const projects = JSON.parse((await slipway(['project', 'list', '--json'])).stdout) as {
      id: string;
      name: string;
    }[];
    const project = projects.find((p) => p.name === 'default');
    expect(project).toBeDefined();
    expect((await slipway(['project', 'set', '--id', project?.id ?? ''])).code).toBe(0);

    const created = await slipway(['service', 'create', '--name', 'hello', '--json']);
    expect(created.code).toBe(0);
    const service = JSON.parse(created.stdout) as { id: string; hostname: string };

    const app = join(home, 'app');
    await mkdir(app, { recursive: true });
    await writeFile(
      join(app, 'Dockerfile'),
      `FROM ${BASE_IMAGE}\nCOPY index.html /www/index.html\nCMD ["sh", "-c", "echo serving; exec httpd -f -p 8080 -h /www"]\n`,
    );
    await writeFile(join(app, 'index.html'), 'hello from compose\n');
    const deployed = await slipway(['service', 'deploy', '--name', 'hello', '--source', app]);
    expect({ code: deployed.code, stdout: deployed.stdout, stderr: deployed.stderr }).toEqual({
      code: 0,
      stdout: expect.stringMatching(/^status: +succeeded$/m) as string,
      stderr: expect.stringContaining('==> build succeeded') as string,
    });

    // Private by default: the edge wants a key of the service's org or project. The route
    // reaches the edge a moment after the deployment succeeded (a Redis message).
    let status = 404;
    for (let i = 0; i < 50 && status === 404; i += 1) {
      if (i > 0) await new Promise((resolve) => setTimeout(resolve, 200));
      status = (await through(service.hostname)).status;
    }
    expect(status).toBe(401);
    const key = JSON.parse(
      (await slipway(['access-key', 'create', '--name', 'quick-start', '--json'])).stdout,
    ) as { key: string };
    expect(await through(service.hostname, { Authorization: `Bearer ${key.key}` })).toEqual({
      status: 200,
      body: 'hello from compose\n',
    });

    const logs = await slipway(['service', 'logs', '--name', 'hello']);
    expect(logs).toMatchObject({ code: 0, stdout: expect.stringMatching(/ serving$/m) as string });
    const traces = await slipway(['service', 'traces', '--name', 'hello']);
    expect(traces.code).toBe(0);

    // `stop` takes the services' instances down with the stack (the janitor); `start` brings
    // them back from their live deployments (the API's restorer).
    await compose('stop');
    expect(await serviceInstances()).toBe('');
    await compose('start');
    for (const name of ['api', 'edge']) await healthy(name, 180_000);
    let back = { status: 0, body: '' };
    for (let i = 0; i < 120 && back.status !== 200; i += 1) {
      if (i > 0) await new Promise((resolve) => setTimeout(resolve, 500));
      back = await through(service.hostname, { Authorization: `Bearer ${key.key}` }).catch(() => ({
        status: 0,
        body: '',
      }));
    }
    expect(back).toEqual({ status: 200, body: 'hello from compose\n' });

    // The service is left running: `down -v` removes it with everything else.
    await compose('down', '-v');
    expect(await leftovers()).toEqual([]);
  }, 900_000);
});
