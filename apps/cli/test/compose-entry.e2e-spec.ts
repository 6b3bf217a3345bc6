/**
 * deploy/compose/entry.mjs, the compose containers' entry point: the docker mode runs the app
 * as it is; the kind mode is recognised by the project's `kind` container (real Docker here),
 * and the edge container relays its port to the cluster's edge (real HAProxy here).
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = join(__dirname, '..', '..', '..');
const ENTRY = join(ROOT, 'deploy', 'compose', 'entry.mjs');
const BASE_IMAGE = process.env.SLIPWAY_TEST_BASE_IMAGE ?? 'busybox:1.36';

let state = '';
beforeEach(async () => {
  state = await mkdtemp(join(tmpdir(), 'slipway-entry-'));
});
afterEach(() => rm(state, { recursive: true, force: true }));

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });

async function waitFor<T>(probe: () => Promise<T>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await probe();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

describe('compose entry: the edge container', () => {
  it('runs the app itself when no kind cluster wrote runtime.env', async () => {
    const app = join(state, 'app.mjs');
    await writeFile(app, "console.log('app ran');\n");
    const { stdout } = await run(process.execPath, [ENTRY, '--follow', app], {
      env: { ...process.env, SLIPWAY_KIND_STATE_DIR: state },
    });
    expect(stdout).toBe('app ran\n');
  });

  it('refuses an unknown mode or a missing app with its usage', async () => {
    for (const args of [['--detect'], ['--sideways', 'app.mjs'], []]) {
      await expect(run(process.execPath, [ENTRY, ...args])).rejects.toMatchObject({
        code: 2,
        stderr: expect.stringContaining('usage: entry.mjs --detect|--follow') as string,
      });
    }
  });

  describe('in kind mode', () => {
    let upstream: Server;
    let relay: ChildProcess | undefined;
    afterEach(async () => {
      relay?.kill('SIGTERM');
      await new Promise((resolve) => upstream.close(resolve));
    });

    it("relays its port to the cluster's edge and answers its health checks", async () => {
      upstream = createServer((req, res) => res.end(`cluster edge saw ${req.headers.host}`));
      await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
      const target = `127.0.0.1:${(upstream.address() as AddressInfo).port}`;
      await writeFile(join(state, 'runtime.env'), `SLIPWAY_EDGE_RELAY=${target}\n`);
      const [port, adminPort] = [await freePort(), await freePort()];

      relay = spawn(process.execPath, [ENTRY, '--follow', join(state, 'never-run.mjs')], {
        env: {
          ...process.env,
          SLIPWAY_KIND_STATE_DIR: state,
          TMPDIR: state,
          EDGE_PORT: String(port),
          EDGE_ADMIN_PORT: String(adminPort),
        },
        stdio: 'ignore',
      });
      const answer = await waitFor(async () => {
        const res = await fetch(`http://127.0.0.1:${port}/any`, {
          headers: { 'x-probe': '1' },
        });
        return { status: res.status, body: await res.text() };
      });
      expect(answer).toEqual({ status: 200, body: `cluster edge saw 127.0.0.1:${port}` });
      expect((await fetch(`http://127.0.0.1:${adminPort}/readyz`)).status).toBe(200);
      expect((await fetch(`http://127.0.0.1:${adminPort}/other`)).status).toBe(404);

      const exited = new Promise((resolve) => relay?.once('exit', resolve));
      relay.kill('SIGTERM');
      await expect(exited).resolves.toBe(0);
      relay = undefined;
    });
  });
});

describe("compose entry: the API's and builder's view of the project", () => {
  const created: string[] = [];
  const project = `slipway-entry-${Date.now().toString(36)}`;
  afterAll(async () => {
    if (created.length) await run('docker', ['rm', '-f', ...created]).catch(() => undefined);
  });

  async function container(labels: Record<string, string>): Promise<string> {
    const flags = Object.entries(labels).flatMap(([key, value]) => ['--label', `${key}=${value}`]);
    const { stdout } = await run('docker', ['create', ...flags, BASE_IMAGE, 'true']);
    const id = stdout.trim();
    created.push(id);
    return id;
  }

  const findKindService = async (self: string): Promise<string> => {
    const script = `import('${ENTRY}').then(async ({ findKindService }) => {
      const { default: Docker } = await import('dockerode');
      console.log((await findKindService(new Docker(), process.argv[1])) ?? 'none');
    });`;
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script, self], {
      cwd: ROOT,
    });
    return stdout.trim();
  };

  /**
   * Runs kindModeSettings on container `id` in a child process; answers what it printed. With
   * `seenRunning`, the child creates that file once it has seen the container running.
   */
  const kindModeSettings = async (id: string, file: string, seenRunning = '') => {
    const script = `import('${ENTRY}').then(async ({ kindModeSettings }) => {
      const { default: Docker } = await import('dockerode');
      const { writeFileSync } = await import('node:fs');
      const kind = new Docker().getContainer(process.argv[1]);
      const container = {
        async inspect() {
          const info = await kind.inspect();
          if (info.State.Running && process.argv[3]) writeFileSync(process.argv[3], '');
          return info;
        },
      };
      try {
        const settings = await kindModeSettings(container, { file: process.argv[2], graceMs: 1500, pollMs: 100 });
        console.log(JSON.stringify(settings ?? 'docker mode'));
      } catch (error) {
        console.log(JSON.stringify({ failed: error.message }));
      }
    });`;
    const child = run(
      process.execPath,
      ['--input-type=module', '-e', script, id, file, seenRunning],
      {
        cwd: ROOT,
      },
    );
    return JSON.parse((await child).stdout) as unknown;
  };

  it("waits for this run's kind service, and ignores one an earlier run left stopped", async () => {
    const file = join(state, 'runtime.env');
    // Left stopped (created, never started here): the API and builder go on in docker mode,
    // whatever old runtime.env lies there.
    const stale = await container({ 'com.docker.compose.service': 'kind' });
    await writeFile(file, 'SLIPWAY_RUNTIME=kubernetes\n');
    expect(await kindModeSettings(stale, file)).toBe('docker mode');

    // Running, with only a runtime.env older than its start: waits for the fresh one.
    const { stdout } = await run('docker', ['run', '-d', BASE_IMAGE, 'sleep', '60']);
    const running = stdout.trim();
    created.push(running);
    const waiting = kindModeSettings(running, file);
    await new Promise((resolve) => setTimeout(resolve, 500));
    await writeFile(file, 'SLIPWAY_RUNTIME=kubernetes\nSLIPWAY_EDGE_RELAY=node:30080\n');
    expect(await waiting).toEqual({
      SLIPWAY_RUNTIME: 'kubernetes',
      SLIPWAY_EDGE_RELAY: 'node:30080',
    });
  });

  it('fails, pointing at its logs, when the kind service stops before the cluster is ready', async () => {
    const file = join(state, 'runtime.env');
    // It exits when told, once the entry has seen it running: no race with a busy machine.
    const { stdout } = await run('docker', [
      'run',
      '-d',
      BASE_IMAGE,
      'sh',
      '-c',
      'while [ ! -e /tmp/stop ]; do sleep 0.1; done; exit 3',
    ]);
    const dying = stdout.trim();
    created.push(dying);
    const seen = join(state, 'seen-running');
    const settings = kindModeSettings(dying, file, seen);
    await waitFor(() => stat(seen));
    await run('docker', ['exec', dying, 'touch', '/tmp/stop']);
    expect(await settings).toEqual({
      failed:
        'the kind service stopped (exit 3) before the cluster was ready: see `docker compose logs kind`',
    });
  });

  it('finds the kind container of its own compose project only', async () => {
    const api = await container({
      'com.docker.compose.project': project,
      'com.docker.compose.service': 'api',
    });
    const elsewhere = await container({
      'com.docker.compose.project': `${project}-other`,
      'com.docker.compose.service': 'api',
    });
    const outsideCompose = await container({});
    expect(await findKindService(api)).toBe('none');

    const kind = await container({
      'com.docker.compose.project': project,
      'com.docker.compose.service': 'kind',
    });
    expect(await findKindService(api)).toBe(kind);
    expect(await findKindService(elsewhere)).toBe('none');
    expect(await findKindService(outsideCompose)).toBe('none');
  });
});
