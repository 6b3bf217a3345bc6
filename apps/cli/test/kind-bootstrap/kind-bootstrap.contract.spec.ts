/**
 * deploy/kind/bootstrap.sh, the kind profile's `kind` service, run for real by bash with
 * stand-ins for docker, kind and kubectl (stand-in-commands.mjs: no cluster can run here; the
 * e2e-kind workflow runs the real ones) and the real slipway-platform-manifests. What it asks
 * of them, what it leaves in the state directory, and how it stops.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..', '..');
const SCRIPT = join(ROOT, 'deploy', 'kind', 'bootstrap.sh');
const MANIFESTS = join(ROOT, 'libs', 'k8s-spec', 'dist', 'cli', 'platform-manifests.js');
const SECRET_KEY = 'a-secret-key-that-must-not-reach-any-argv-0123456789';

interface Call {
  command: string;
  args: string[];
  network?: string;
  config?: string;
  applied?: string;
  envFile?: string;
}

let standIn = '';
let state = '';
let bootstrap: ChildProcess | undefined;
let output = '';

beforeEach(async () => {
  standIn = await mkdtemp(join(tmpdir(), 'slipway-kind-stand-in-'));
  state = join(standIn, 'state');
  for (const command of ['docker', 'kind', 'kubectl']) {
    const file = join(standIn, command);
    await writeFile(
      file,
      `#!/bin/sh\nexec "${process.execPath}" "${join(__dirname, 'stand-in-commands.mjs')}" ${command} "$@"\n`,
    );
    await chmod(file, 0o755);
  }
});

afterEach(async () => {
  bootstrap?.kill('SIGKILL');
  bootstrap = undefined;
  await rm(standIn, { recursive: true, force: true });
});

function start(env: Record<string, string> = {}): ChildProcess {
  output = '';
  const child = spawn('bash', [SCRIPT], {
    env: {
      PATH: `${standIn}:${process.env.PATH ?? ''}`,
      STAND_IN: standIn,
      SLIPWAY_KIND_STATE_DIR: state,
      SLIPWAY_KIND_MANIFESTS_CLI: MANIFESTS,
      SLIPWAY_KIND_DATABASE_URL: 'postgres://slipway:pw@postgres:5432/slipway',
      SLIPWAY_KIND_REDIS_URL: 'redis://redis:6379',
      SLIPWAY_SECRET_KEY: SECRET_KEY,
      ...env,
    },
  });
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  bootstrap = child;
  return child;
}

const exited = (child: ChildProcess) =>
  new Promise<number | null>((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });

async function calls(): Promise<Call[]> {
  const text = await readFile(join(standIn, 'calls.jsonl'), 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Call);
}

async function ready(child: ChildProcess): Promise<Record<string, string>> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const text = await readFile(join(state, 'runtime.env'), 'utf8').catch(() => undefined);
    if (text !== undefined) {
      const entries = text
        .trim()
        .split('\n')
        .map((entry): [string, string] => {
          const at = entry.indexOf('=');
          return [entry.slice(0, at), entry.slice(at + 1)];
        });
      return Object.fromEntries(entries);
    }
    if (child.exitCode !== null) throw new Error(`bootstrap exited ${child.exitCode}:\n${output}`);
    if (Date.now() > deadline) throw new Error(`no runtime.env after 60 s:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const line = (call: Call) => `${call.command} ${call.args.join(' ')}`;

describe('deploy/kind/bootstrap.sh', () => {
  it('creates the cluster on its own network, wires the registry, applies the platform and says how to use it', async () => {
    const child = start();
    const settings = await ready(child);

    expect(settings).toEqual({
      SLIPWAY_RUNTIME: 'kubernetes',
      KUBECONFIG: join(state, 'kubeconfig'),
      SLIPWAY_K8S_SYSTEM_NAMESPACE: 'slipway',
      SLIPWAY_REGISTRY: 'registry:5000',
      SLIPWAY_REGISTRY_INSECURE: 'true',
      SLIPWAY_COLLECTOR_URL: 'http://slipway-collector.slipway.svc.cluster.local:4318',
      SLIPWAY_BUILD_DRIVER: 'kaniko',
      SLIPWAY_KANIKO_NAMESPACE: 'slipway-builds',
      SLIPWAY_KANIKO_REGISTRY_SECRET: 'slipway-registry',
      SLIPWAY_KANIKO_INSECURE_REGISTRIES: 'registry:5000',
      SLIPWAY_KANIKO_EXECUTOR_IMAGE: 'gcr.io/kaniko-project/executor:v1.23.2',
      SLIPWAY_EDGE_RELAY: 'slipway-control-plane:30080',
    });
    // The internal kubeconfig, readable by the API's and builder's root only.
    expect(await readFile(join(state, 'kubeconfig'), 'utf8')).toBe(
      'server: https://slipway-control-plane:6443\n',
    );
    expect((await stat(join(state, 'kubeconfig'))).mode & 0o777).toBe(0o600);

    const made = await calls();
    const create = made.find((call) => line(call).startsWith('kind create cluster'));
    expect(create?.args).toEqual(
      expect.arrayContaining(['--name', 'slipway', '--wait', '180s']) as string[],
    );
    expect(create?.network).toBe('slipway_default');
    expect(create?.config).toContain('config_path = "/etc/containerd/certs.d"');
    expect(
      await readFile(
        join(
          standIn,
          'nodes/slipway-control-plane/etc/containerd/certs.d/registry:5000/hosts.toml',
        ),
        'utf8',
      ),
    ).toBe('[host."http://registry:5000"]\n  capabilities = ["pull", "resolve"]\n');
    // The edge and collector images reach the nodes through the compose registry.
    expect(made.map(line)).toEqual(
      expect.arrayContaining([
        'docker tag slipway-edge:local localhost:5000/slipway/slipway-edge:local',
        'docker push --quiet localhost:5000/slipway/slipway-edge:local',
        'docker push --quiet localhost:5000/slipway/slipway-collector:local',
      ]) as string[],
    );

    const applied = made.filter((call) => call.applied !== undefined);
    expect(applied[0]?.applied).toContain('name: local-registry-hosting');
    expect(applied[0]?.applied).toContain('hostFromContainerRuntime: "registry:5000"');
    const platform = JSON.parse(applied[1]?.applied ?? '{}') as {
      kind: string;
      items: { kind: string; metadata: { name: string }; spec?: Record<string, unknown> }[];
    };
    expect(platform.kind).toBe('List');
    const edgeService = platform.items.find(
      (item) => item.kind === 'Service' && item.metadata.name === 'slipway-edge',
    );
    expect(edgeService?.spec).toMatchObject({ type: 'NodePort', ports: [{ nodePort: 30080 }] });
    const edge = platform.items.find(
      (item) => item.kind === 'Deployment' && item.metadata.name === 'slipway-edge',
    );
    expect(edge?.spec).toMatchObject({
      template: {
        spec: {
          containers: [
            { image: 'registry:5000/slipway/slipway-edge:local', imagePullPolicy: 'Always' },
          ],
        },
      },
    });
    expect(made.some((call) => call.args.includes('restart'))).toBe(false);
    expect(applied[1]?.args).toEqual(
      expect.arrayContaining(['--server-side', '--field-manager', 'slipway-bootstrap']) as string[],
    );

    // The platform's settings reach the Secret through a file, never through anyone's argv.
    const config = made.find((call) => call.envFile !== undefined);
    expect(config?.envFile).toBe(
      'DATABASE_URL=postgres://slipway:pw@postgres:5432/slipway\n' +
        'REDIS_URL=redis://redis:6379\n' +
        `SLIPWAY_SECRET_KEY=${SECRET_KEY}\n`,
    );
    expect(made.some((call) => call.args.join(' ').includes(SECRET_KEY))).toBe(false);
    expect(made.some((call) => call.args.includes('slipway-registry'))).toBe(true);

    // Stopped (docker compose down): runtime.env goes first, then the cluster.
    child.kill('SIGTERM');
    expect(await exited(child)).toBe(0);
    await expect(stat(join(state, 'runtime.env'))).rejects.toMatchObject({ code: 'ENOENT' });
    expect((await calls()).map(line)).toContain('kind delete cluster --name slipway');
    expect(await readFile(join(standIn, 'clusters'), 'utf8')).toBe('');
  });

  it('reuses a cluster that exists, and keeps it when asked', async () => {
    await writeFile(join(standIn, 'clusters'), 'mine\n');
    const child = start({ SLIPWAY_KIND_CLUSTER: 'mine', SLIPWAY_KIND_KEEP_CLUSTER: 'true' });
    expect((await ready(child)).SLIPWAY_EDGE_RELAY).toBe('mine-control-plane:30080');
    expect((await calls()).map(line).filter((l) => l.startsWith('kind create'))).toEqual([]);
    // The same tags may hold new images: the platform's pods start again.
    expect((await calls()).map(line)).toContain(
      'kubectl -n slipway rollout restart deployment/slipway-edge deployment/slipway-collector',
    );

    child.kill('SIGTERM');
    expect(await exited(child)).toBe(0);
    expect((await calls()).map(line).filter((l) => l.startsWith('kind delete'))).toEqual([]);
    expect(output).toContain('keeping the cluster mine (SLIPWAY_KIND_KEEP_CLUSTER=true)');
  });

  it('refuses to start without the settings the cluster needs, naming them', async () => {
    const child = start({ SLIPWAY_KIND_REDIS_URL: '' });
    expect(await exited(child)).toBe(1);
    expect(output).toContain('SLIPWAY_KIND_REDIS_URL is not set');
    expect(await calls()).toEqual([]);
  });
});
