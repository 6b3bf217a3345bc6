import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The built `slipway` command against a real API (docker runtime) started in this process
 * from the API's test support. That support is loaded untyped, on purpose: the CLI compiles
 * against the OpenAPI snapshot only, never against the API's sources.
 */
interface StackLike {
  readonly siteImage: string;
  readonly baseImage: string;
  readonly t: {
    readonly adminToken: string;
    readonly app: {
      listen(port: number, host: string): Promise<unknown>;
      getHttpServer(): { address(): unknown };
    };
  };
  createService(prefix: string): Promise<string>;
  route(serviceId: string): Promise<{ host: string; port: number }[]>;
  close(): Promise<void>;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const support = require('../../api/test/support/docker-stack') as {
  startDockerStack(options: { builder: boolean }): Promise<StackLike>;
  siteDockerfile(baseImage: string): string;
  httpGet(
    endpoint: { host: string; port: number },
    path: string,
  ): Promise<{ status: number; body: string }>;
};

const BIN = join(__dirname, '..', 'bin', 'slipway.js');

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

describe('slipway (the built CLI against a running API)', () => {
  let stack: StackLike;
  let apiUrl: string;
  let home: string;

  /** Runs the CLI asynchronously: the API answering it lives in this same process. */
  function slipway(args: string[], env: Record<string, string> = {}): Promise<Result> {
    return new Promise((resolve) => {
      execFile(
        process.execPath,
        [BIN, ...args],
        {
          env: {
            PATH: process.env.PATH ?? '',
            HOME: home,
            XDG_CONFIG_HOME: join(home, 'xdg'),
            ...env,
          },
          timeout: 100_000,
        },
        (error, stdout, stderr) => {
          const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
          resolve({ code, stdout, stderr });
        },
      );
    });
  }

  async function json<T>(args: string[], env?: Record<string, string>): Promise<T> {
    const result = await slipway([...args, '--json'], env);
    expect({ args, code: result.code, stderr: result.stderr }).toEqual({
      args,
      code: 0,
      stderr: expect.any(String),
    });
    return JSON.parse(result.stdout) as T;
  }

  beforeAll(async () => {
    // With a builder the stack already listens (builders fetch bundles from the API).
    stack = await support.startDockerStack({ builder: true });
    const { port } = stack.t.app.getHttpServer().address() as AddressInfo;
    apiUrl = `http://127.0.0.1:${port}`;
  });
  afterAll(async () => {
    await stack?.close();
  });
  beforeEach(async () => {
    home = await mkdtemp(join(tmpdir(), 'slipway-cli-e2e-'));
  });
  afterEach(async () => {
    await rm(home, { recursive: true, force: true });
  });

  it('configures, picks a project, creates, deploys, scales and deletes a service', async () => {
    const configured = await slipway([
      'config',
      '--api-url',
      apiUrl,
      '--token',
      stack.t.adminToken,
    ]);
    expect(configured.code).toBe(0);
    const file = join(home, 'xdg', 'slipway', 'config.json');
    expect((await stat(file)).mode & 0o777).toBe(0o600);

    const me = await json<{ email: string; is_admin: boolean }>(['whoami']);
    expect(me.is_admin).toBe(true);

    const projects = await json<{ id: string; name: string; org_id: string }[]>([
      'project',
      'list',
    ]);
    const project = projects.find((p) => p.name === 'default');
    expect(project).toBeDefined();
    await json(['project', 'set', '--id', project?.id ?? '']);
    expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({
      api_url: apiUrl,
      token: stack.t.adminToken,
      project_id: project?.id,
      org_id: project?.org_id,
    });

    const name = `cli-${randomBytes(3).toString('hex')}`;
    const created = await json<{ id: string; hostname: string; project_id: string }>([
      'service',
      'create',
      '--name',
      name,
      '--access',
      'public',
    ]);
    expect(created.hostname).toContain(name);
    expect(created.project_id).toBe(project?.id);

    const deploy = await slipway([
      'service',
      'deploy',
      '--id',
      created.id,
      '--image',
      stack.siteImage,
      '--health-check-path',
      '/index.html',
      '--env',
      'GREETING',
      'hello there',
      '--json',
    ]);
    expect({ code: deploy.code, stderr: deploy.stderr }).toEqual({
      code: 0,
      stderr: expect.stringMatching(/deploying[\s\S]*succeeded/),
    });
    const deployment = JSON.parse(deploy.stdout) as { status: string; env: { name: string }[] };
    expect(deployment.status).toBe('succeeded');
    expect(deployment.env.map((e) => e.name)).toContain('GREETING');

    const status = await json<{ ready: number; desired: number }>([
      'service',
      'status',
      '--id',
      created.id,
    ]);
    expect(status).toMatchObject({ ready: 1, desired: 1 });

    const scaled = await json<{ ready: number; desired: number; operation: { status: string } }>([
      'service',
      'scale',
      '--id',
      created.id,
      '--instances',
      '2',
    ]);
    expect(scaled).toMatchObject({ ready: 2, desired: 2, operation: { status: 'succeeded' } });

    const listed = await json<{ id: string }[]>(['service', 'list']);
    expect(listed.map((s) => s.id)).toContain(created.id);

    const deleted = await json<{ id: string }>(['service', 'delete', '--id', created.id]);
    expect(deleted.id).toBe(created.id);
    const gone = await slipway(['service', 'get', '--id', created.id]);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toMatch(/^error: .*not found/i);
  });

  it('prints the API message for a bad token, without a stack trace', async () => {
    const result = await slipway(['whoami'], {
      SLIPWAY_API_URL: apiUrl,
      SLIPWAY_TOKEN: 'slp_pat_not_a_real_token_000000',
    });
    expect(result).toEqual({ code: 1, stdout: '', stderr: 'error: The token is not valid\n' });
  });

  it('says an unknown service was not found', async () => {
    const env = { SLIPWAY_API_URL: apiUrl, SLIPWAY_TOKEN: stack.t.adminToken };
    const result = await slipway(['service', 'get', '--id', randomUUID()], env);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^error: .*not found.*\n$/i);
    expect(result.stderr.split('\n')).toHaveLength(2);
  });

  it('fails a deploy whose container exits at once, with the reason', async () => {
    const env = { SLIPWAY_API_URL: apiUrl, SLIPWAY_TOKEN: stack.t.adminToken };
    const serviceId = await stack.createService('cli-fail');
    const result = await slipway(
      ['service', 'deploy', '--id', serviceId, '--image', stack.baseImage],
      env,
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^error: deployment [0-9a-f-]{36} ended deployment_failed: \S.*$/m,
    );
  });

  it('exits 2 on a usage error, naming the missing option', async () => {
    const missing = await slipway(['service', 'deploy', '--image', 'x']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("error: required option '--id <id>' not specified");
    const neither = await slipway(['service', 'deploy', '--id', randomUUID()]);
    expect(neither).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('error: give exactly one of --image and --source'),
    });
  });

  describe('deploy --source', () => {
    const env = (): Record<string, string> => ({
      SLIPWAY_API_URL: apiUrl,
      SLIPWAY_TOKEN: stack.t.adminToken,
    });

    async function sourceDir(files: Record<string, string>): Promise<string> {
      const dir = join(home, 'app');
      for (const [path, content] of Object.entries(files)) {
        await mkdir(join(dir, path, '..'), { recursive: true });
        await writeFile(join(dir, path), content);
      }
      return dir;
    }

    it('packs the directory honouring .dockerignore, shows the build log and follows to succeeded', async () => {
      const dir = await sourceDir({
        Dockerfile: `FROM ${stack.baseImage}\nCOPY . /www\nCMD ["httpd", "-f", "-p", "8080", "-h", "/www"]\n`,
        'index.html': 'built by the cli\n',
        'secret.txt': 'not for the image\n',
        'node_modules/dep/index.js': 'module.exports = 1;\n',
        '.dockerignore': 'secret.txt\nnode_modules\n',
      });
      const serviceId = await stack.createService('cli-src');
      const result = await slipway(
        ['service', 'deploy', '--id', serviceId, '--source', dir, '--json'],
        env(),
      );
      expect({ code: result.code, stderr: result.stderr }).toEqual({
        code: 0,
        stderr: expect.stringMatching(
          /packed [\s\S]*uploaded 100%[\s\S]*building[\s\S]*COPY \. \/www[\s\S]*succeeded/,
        ),
      });
      expect(JSON.parse(result.stdout)).toMatchObject({
        status: 'succeeded',
        source: { type: 'archive' },
      });
      const [endpoint] = await stack.route(serviceId);
      expect(endpoint).toBeDefined();
      if (!endpoint) return;
      await expect(support.httpGet(endpoint, '/index.html')).resolves.toEqual({
        status: 200,
        body: 'built by the cli\n',
      });
      expect((await support.httpGet(endpoint, '/secret.txt')).status).toBe(404);
      expect((await support.httpGet(endpoint, '/node_modules/dep/index.js')).status).toBe(404);
    });

    it('refuses a directory without a Dockerfile before uploading anything', async () => {
      const dir = await sourceDir({ 'index.html': 'no Dockerfile here' });
      const result = await slipway(
        ['service', 'deploy', '--id', randomUUID(), '--source', dir],
        env(),
      );
      expect(result).toMatchObject({
        code: 1,
        stderr: expect.stringMatching(/^error: no Dockerfile in .*app: a source deploy builds it/),
      });
      expect(result.stderr).not.toContain('uploading');
    });

    it('exits non-zero with the build failure shown', async () => {
      const dir = await sourceDir({ Dockerfile: `FROM ${stack.baseImage}\nRUN exit 3\n` });
      const serviceId = await stack.createService('cli-build-fail');
      const result = await slipway(
        ['service', 'deploy', '--id', serviceId, '--source', dir],
        env(),
      );
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/^error: deployment [0-9a-f-]{36} ended build_failed: \S/m);
    });
  });
});
