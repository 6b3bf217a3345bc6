/**
 * The platform on Kubernetes, end to end, through the built CLI and the edge: run against a
 * `docker compose --profile kind up` stack (see jest.kind.config.js; the e2e-kind workflow).
 * A source deploy built by a Kaniko Job, an image deploy, the edge with an Access Key, pods and
 * their logs, traces, scale, restart, rollback and delete.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SUFFIX, answerOnce, useKindCli, type Service } from './kind-support';

const BASE_IMAGE = process.env.SLIPWAY_KIND_BASE_IMAGE ?? 'busybox:1.36';
const cli = useKindCli();

interface Deployment {
  id: string;
  status: string;
}

describe('Slipway on a kind cluster', () => {
  it('builds a source with a Kaniko Job, serves it through the edge, and operates it', async () => {
    const name = `hello-${SUFFIX}`;
    const service = await cli.json<Service>(['service', 'create', '--name', name]);
    const app = join(cli.home, 'app');
    await mkdir(app, { recursive: true });
    const dockerfile = (text: string) =>
      `FROM ${BASE_IMAGE}\nRUN mkdir /www && echo '${text}' > /www/index.html\n` +
      `CMD ["sh", "-c", "echo serving ${text}; exec httpd -f -p 8080 -h /www"]\n`;
    await writeFile(join(app, 'Dockerfile'), dockerfile('one'));

    const first = await cli.slipway(['service', 'deploy', '--name', name, '--source', app]);
    expect(first).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(/^status: +succeeded$/m) as string,
      stderr: expect.stringContaining('==> build succeeded') as string,
    });
    const host = service.hostname;
    expect((await answerOnce(host, '/index.html', {}, { status: 401 })).status).toBe(401);
    const auth = { Authorization: `Bearer ${cli.accessKey}` };
    const one = { status: 200, body: 'one\n' };
    expect(await answerOnce(host, '/index.html', auth, one)).toEqual(one);

    const pods = await cli.json<{ name: string }[]>(['service', 'pods', '--name', name]);
    expect(pods).toHaveLength(1);
    const pod = pods[0]?.name ?? '';
    expect(await cli.ok(['service', 'logs', '--name', name, '--pod', pod])).toContain(
      'serving one',
    );
    expect(await cli.ok(['service', 'logs', '--name', name])).toContain('serving one');
    expect((await cli.slipway(['service', 'traces', '--name', name])).code).toBe(0);

    await cli.ok(['service', 'scale', '--name', name, '--instances', '2']);
    expect(await cli.json<unknown[]>(['service', 'pods', '--name', name])).toHaveLength(2);
    await cli.ok(['service', 'restart', '--name', name]);
    expect(await answerOnce(host, '/index.html', auth, one)).toEqual(one);

    await writeFile(join(app, 'Dockerfile'), dockerfile('two'));
    await cli.ok(['service', 'deploy', '--name', name, '--source', app]);
    const two = { status: 200, body: 'two\n' };
    expect(await answerOnce(host, '/index.html', auth, two)).toEqual(two);
    const deployments = await cli.json<Deployment[]>(['service', 'deployments', '--name', name]);
    const firstDeployment = deployments.at(-1)?.id ?? '';
    await cli.ok(['service', 'rollback', '--name', name, '--to', firstDeployment]);
    expect(await answerOnce(host, '/index.html', auth, one)).toEqual(one);

    await cli.ok(['service', 'delete', '--name', name]);
    expect((await answerOnce(host, '/index.html', auth, { status: 503 })).status).toBe(503);
  });

  it('deploys an image and serves it publicly', async () => {
    const name = `image-${SUFFIX}`;
    const service = await cli.json<Service>([
      'service',
      'create',
      '--name',
      name,
      '--access',
      'public',
    ]);
    const image = process.env.SLIPWAY_KIND_IMAGE ?? 'nginxinc/nginx-unprivileged:1.27-alpine';
    const deployed = await cli.slipway(['service', 'deploy', '--name', name, '--image', image]);
    expect(deployed).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(/succeeded/) as string,
    });
    expect((await answerOnce(service.hostname, '/', {}, { status: 200 })).status).toBe(200);
    await cli.ok(['service', 'delete', '--name', name, '--force']);
  });
});
