/**
 * The platform on Kubernetes, end to end, through the built CLI and the edge: run against a
 * `docker compose --profile kind up` stack (see jest.kind.config.js; the e2e-kind workflow).
 * A source deploy built by a Kaniko Job, an image deploy, the edge with an Access Key, pods and
 * their logs, traces, scale, restart, rollback and delete; then the Dynamiq Agent and
 * Unstructured presets deployed from examples/presets as their READMEs say.
 */
import { execFile } from 'node:child_process';
import { cp, mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, throughEdge, type Result } from '../support';

const ROOT = join(__dirname, '..', '..', '..', '..');
const API_URL = process.env.SLIPWAY_KIND_API_URL ?? 'http://127.0.0.1:3000';
const EDGE_PORT = Number(process.env.SLIPWAY_KIND_EDGE_PORT ?? 8000);
const TOKEN = process.env.SLIPWAY_KIND_TOKEN ?? 'slp_pat_local_dev_bootstrap_token_change_me';
const BASE_IMAGE = process.env.SLIPWAY_KIND_BASE_IMAGE ?? 'busybox:1.36';
const SUFFIX = Date.now().toString(36);

let home = '';

function slipway(args: string[]): Promise<Result> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      {
        env: { PATH: process.env.PATH ?? '', HOME: home, XDG_CONFIG_HOME: join(home, 'xdg') },
        cwd: home,
        timeout: 900_000,
        maxBuffer: 16 * 1024 * 1024,
      },
      (error, stdout, stderr) =>
        resolve({
          code: error ? (typeof error.code === 'number' ? error.code : -1) : 0,
          stdout,
          stderr,
        }),
    );
  });
}

async function ok(args: string[]): Promise<string> {
  const result = await slipway(args);
  if (result.code !== 0)
    throw new Error(`slipway ${args.join(' ')} exited ${result.code}:\n${result.stderr}`);
  return result.stdout;
}

const json = async <T>(args: string[]): Promise<T> =>
  JSON.parse(await ok([...args, '--json'])) as T;

const through = (host: string, path: string, headers: Record<string, string> = {}) =>
  throughEdge(EDGE_PORT, host, path, headers);

/** The edge's answer once the route has arrived (a Redis message after the rollout). */
async function answered(host: string, path: string, headers: Record<string, string>) {
  let last = { status: 0, body: '' };
  for (let i = 0; i < 120; i += 1) {
    last = await through(host, path, headers).catch(() => ({ status: 0, body: '' }));
    if (last.status !== 0 && last.status !== 404 && last.status !== 502) return last;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  return last;
}

interface Service {
  id: string;
  hostname: string;
}
interface Deployment {
  id: string;
  status: string;
}

let accessKey = '';

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'slipway-kind-e2e-'));
  await ok(['config', '--api-url', API_URL, '--token', TOKEN]);
  const projects = await json<{ id: string; name: string }[]>(['project', 'list']);
  const project = projects.find((p) => p.name === 'default');
  if (!project) throw new Error('the bootstrap organization has no "default" project');
  await ok(['project', 'set', '--id', project.id]);
  accessKey = (await json<{ key: string }>(['access-key', 'create', '--name', `kind-${SUFFIX}`]))
    .key;
});

afterAll(() => rm(home, { recursive: true, force: true }));

describe('Slipway on a kind cluster', () => {
  it('builds a source with a Kaniko Job, serves it through the edge, and operates it', async () => {
    const name = `hello-${SUFFIX}`;
    const service = await json<Service>(['service', 'create', '--name', name]);
    const app = join(home, 'app');
    await mkdir(app, { recursive: true });
    const dockerfile = (text: string) =>
      `FROM ${BASE_IMAGE}\nRUN mkdir /www && echo '${text}' > /www/index.html\n` +
      `CMD ["sh", "-c", "echo serving ${text}; exec httpd -f -p 8080 -h /www"]\n`;
    await writeFile(join(app, 'Dockerfile'), dockerfile('one'));

    const first = await slipway(['service', 'deploy', '--name', name, '--source', app]);
    expect(first).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(/^status: +succeeded$/m) as string,
      stderr: expect.stringContaining('==> build succeeded') as string,
    });
    expect((await through(service.hostname, '/index.html')).status).toBe(401);
    const auth = { Authorization: `Bearer ${accessKey}` };
    expect(await answered(service.hostname, '/index.html', auth)).toEqual({
      status: 200,
      body: 'one\n',
    });

    const pods = await json<{ name: string; status: string }[]>([
      'service',
      'pods',
      '--name',
      name,
    ]);
    expect(pods.length).toBe(1);
    const podLog = await ok(['service', 'logs', '--name', name, '--pod', pods[0]?.name ?? '']);
    expect(podLog).toContain('serving one');
    expect(await ok(['service', 'logs', '--name', name])).toContain('serving one');
    expect((await slipway(['service', 'traces', '--name', name])).code).toBe(0);

    await ok(['service', 'scale', '--name', name, '--instances', '2']);
    expect(await json<unknown[]>(['service', 'pods', '--name', name])).toHaveLength(2);
    await ok(['service', 'restart', '--name', name]);
    expect((await answered(service.hostname, '/index.html', auth)).status).toBe(200);

    await writeFile(join(app, 'Dockerfile'), dockerfile('two'));
    await ok(['service', 'deploy', '--name', name, '--source', app]);
    expect(await answered(service.hostname, '/index.html', auth)).toEqual({
      status: 200,
      body: 'two\n',
    });
    const deployments = await json<Deployment[]>(['service', 'deployments', '--name', name]);
    const firstDeployment = deployments.at(-1);
    await ok(['service', 'rollback', '--name', name, '--to', firstDeployment?.id ?? '']);
    expect(await answered(service.hostname, '/index.html', auth)).toEqual({
      status: 200,
      body: 'one\n',
    });

    await ok(['service', 'delete', '--name', name]);
    expect((await through(service.hostname, '/index.html', auth)).status).toBe(503);
  });

  it('deploys an image and serves it publicly', async () => {
    const name = `image-${SUFFIX}`;
    const service = await json<Service>([
      'service',
      'create',
      '--name',
      name,
      '--access',
      'public',
    ]);
    const deployed = await slipway([
      'service',
      'deploy',
      '--name',
      name,
      '--image',
      process.env.SLIPWAY_KIND_IMAGE ?? 'nginxinc/nginx-unprivileged:1.27-alpine',
    ]);
    expect(deployed).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(/succeeded/) as string,
    });
    expect((await answered(service.hostname, '/', {})).status).toBe(200);
    await ok(['service', 'delete', '--name', name, '--force']);
  });

  it.each([
    ['dynamiq-agent', '/health', ['--env-secret', 'OPENAI_API_KEY', 'not-a-real-key']],
    ['unstructured', '/healthcheck', ['--port', '8080']],
  ])('deploys the %s preset from its directory', async (preset, health, extra) => {
    const name = `${preset}-${SUFFIX}`;
    const dir = join(home, preset);
    await cp(join(ROOT, 'examples', 'presets', preset), dir, { recursive: true });
    const service = await json<Service>(['service', 'create', '--name', name]);
    const deployed = await slipway([
      'service',
      'deploy',
      '--name',
      name,
      '--source',
      dir,
      '--health-check-path',
      health,
      ...extra,
    ]);
    expect(deployed).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(/succeeded/) as string,
    });
    const answer = await answered(service.hostname, health, {
      Authorization: `Bearer ${accessKey}`,
    });
    expect(answer.status).toBe(200);
    await ok(['service', 'delete', '--name', name]);
  });
});
