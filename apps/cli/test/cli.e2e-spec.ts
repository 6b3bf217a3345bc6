import { randomBytes, randomUUID } from 'node:crypto';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { httpGet } from '@slipway/api-testing';
import { useCliStack } from './support';

describe('slipway (the built CLI against a running API)', () => {
  const cli = useCliStack();
  const { slipway, json } = cli;

  it('configures, picks a project, creates, deploys, scales and deletes a service', async () => {
    const configured = await slipway([
      'config',
      '--api-url',
      cli.apiUrl,
      '--token',
      cli.stack.t.adminToken,
    ]);
    expect(configured.code).toBe(0);
    const file = join(cli.home, 'xdg', 'slipway', 'config.json');
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
      api_url: cli.apiUrl,
      token: cli.stack.t.adminToken,
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
      cli.stack.siteImage,
      '--health-check-path',
      '/index.html',
      '--stop-grace-period',
      '3',
      '--env',
      'GREETING',
      'hello there',
      '--json',
    ]);
    expect({ code: deploy.code, stderr: deploy.stderr }).toEqual({
      code: 0,
      stderr: expect.stringMatching(/deploying[\s\S]*succeeded/),
    });
    const deployment = JSON.parse(deploy.stdout) as {
      status: string;
      env: { name: string }[];
      stop_grace_period_seconds: number | null;
    };
    expect(deployment.status).toBe('succeeded');
    expect(deployment.stop_grace_period_seconds).toBe(3);
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
      SLIPWAY_API_URL: cli.apiUrl,
      SLIPWAY_TOKEN: 'slp_pat_not_a_real_token_000000',
    });
    expect(result).toEqual({ code: 1, stdout: '', stderr: 'error: The token is not valid\n' });
  });

  it('says an unknown service was not found', async () => {
    const env = cli.adminEnv();
    const result = await slipway(['service', 'get', '--id', randomUUID()], env);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^error: .*not found.*\n$/i);
    expect(result.stderr.split('\n')).toHaveLength(2);
  });

  it('fails a deploy whose container exits at once, with the reason', async () => {
    const env = cli.adminEnv();
    const serviceId = await cli.stack.createService('cli-fail');
    const result = await slipway(
      ['service', 'deploy', '--id', serviceId, '--image', cli.stack.baseImage],
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
    expect(missing.stderr).toContain('error: name the service: --id SERVICE_ID or --name NAME');
    const neither = await slipway(['service', 'deploy', '--id', randomUUID()]);
    expect(neither).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('error: give exactly one of --image, --source and --repo'),
    });
  });

  describe('deploy --source', () => {
    const env = (): Record<string, string> => cli.adminEnv();

    async function sourceDir(files: Record<string, string>): Promise<string> {
      const dir = join(cli.home, 'app');
      for (const [path, content] of Object.entries(files)) {
        await mkdir(join(dir, path, '..'), { recursive: true });
        await writeFile(join(dir, path), content);
      }
      return dir;
    }

    it('packs the directory honouring .dockerignore, shows the build log and follows to succeeded', async () => {
      const dir = await sourceDir({
        Dockerfile: `FROM ${cli.stack.baseImage}\nCOPY . /www\nCMD ["httpd", "-f", "-p", "8080", "-h", "/www"]\n`,
        'index.html': 'built by the cli\n',
        'secret.txt': 'not for the image\n',
        'node_modules/dep/index.js': 'module.exports = 1;\n',
        '.dockerignore': 'secret.txt\nnode_modules\n',
      });
      const serviceId = await cli.stack.createService('cli-src');
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
      const [endpoint] = await cli.stack.route(serviceId);
      expect(endpoint).toBeDefined();
      if (!endpoint) return;
      await expect(httpGet(endpoint, '/index.html')).resolves.toEqual({
        status: 200,
        body: 'built by the cli\n',
      });
      expect((await httpGet(endpoint, '/secret.txt')).status).toBe(404);
      expect((await httpGet(endpoint, '/node_modules/dep/index.js')).status).toBe(404);
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
      const dir = await sourceDir({ Dockerfile: `FROM ${cli.stack.baseImage}\nRUN exit 3\n` });
      const serviceId = await cli.stack.createService('cli-build-fail');
      const result = await slipway(
        ['service', 'deploy', '--id', serviceId, '--source', dir],
        env(),
      );
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/^error: deployment [0-9a-f-]{36} ended build_failed: \S/m);
    });
  });
});
