/**
 * The whole pipeline on a real Docker Engine and registry: upload → builder (in this process)
 * → push → rollout → instances, logs and deletion.
 */
import { request as httpRequest } from 'node:http';
import { type DeploymentResource } from '@slipway/contracts';
import {
  bundleOf,
  httpGet,
  siteDockerfile,
  startDockerStack,
  SITE_TEXT,
  type DockerStack,
  type Endpoint,
} from '../../test/support/docker-stack';
import { bearer } from '../../test/support/test-app';

jest.setTimeout(120_000);

describe('source deploys through the builder on the docker runtime', () => {
  let stack: DockerStack;

  beforeAll(async () => {
    stack = await startDockerStack({ builder: true });
  });
  afterAll(async () => {
    await stack?.close();
  });

  const admin = () => bearer(stack.t.adminToken);

  const createService = () => stack.createService('src');

  async function deploySource(
    serviceId: string,
    files: Record<string, string>,
    docker = { file: 'Dockerfile', context: '.' },
  ): Promise<DeploymentResource> {
    const res = await stack.t.http
      .post(`/v1/services/${serviceId}/deploy`)
      .set(admin())
      .field('data', JSON.stringify({ docker, env: [{ name: 'GREETING', value: 'hi' }] }))
      .attach('source', await bundleOf(files), {
        filename: 'archive.tar.gz',
        contentType: 'application/x-tar',
      })
      .expect(200);
    return res.body.data as DeploymentResource;
  }

  const waitForEnd = (serviceId: string, id: string) => stack.waitForDeployment(serviceId, id);
  const route = (serviceId: string) => stack.route(serviceId);
  const get = (endpoint: Endpoint) => httpGet(endpoint, '/index.html');

  const site = () => ({
    Dockerfile: siteDockerfile(stack.baseImage),
    'index.html': `${SITE_TEXT}\n`,
  });

  it('builds, pushes and runs a bundle: succeeded, answering on 8080 under the container contract', async () => {
    const serviceId = await createService();
    const created = await deploySource(serviceId, site());
    expect(created.status).toBe('building');

    const logs = await stack.t.http
      .get(`/v1/services/${serviceId}/deployments/${created.id}/build-logs`)
      .set(admin())
      .expect(200);
    expect(logs.headers['content-type']).toMatch(/^text\/plain/);
    expect(logs.text).toContain('COPY index.html /www/index.html');

    const done = await waitForEnd(serviceId, created.id);
    expect(done).toMatchObject({ status: 'succeeded', image: created.image, failure_reason: null });
    expect(done.image).toBe(`${stack.registry}/default/default/${done.image?.split('/')[3]}`);
    expect(done.image_digest).toMatch(/^sha256:[0-9a-f]{64}$/);

    // The registry holds the pushed image under the digest the deployment recorded.
    const [, repository, tag] = /^[^/]+\/(.+):([^:]+)$/.exec(done.image ?? '') ?? [];
    const manifest = await fetch(`http://${stack.registry}/v2/${repository}/manifests/${tag}`, {
      method: 'HEAD',
      headers: { Accept: 'application/vnd.docker.distribution.manifest.v2+json' },
    });
    expect(manifest.headers.get('docker-content-digest')).toBe(done.image_digest);

    const [endpoint] = await route(serviceId);
    await expect(get(endpoint!)).resolves.toEqual({ status: 200, body: `${SITE_TEXT}\n` });

    const pods = await stack.t.http.get(`/v1/services/${serviceId}/pods`).set(admin()).expect(200);
    const podName = pods.body.data[0].name as string;
    const inspect = await stack.docker.getContainer(podName).inspect();
    expect(inspect.Config.User).toBe('1000:1000');
    expect(inspect.HostConfig.ReadonlyRootfs).toBe(true);
    expect(inspect.HostConfig.CapDrop).toEqual(['ALL']);
    expect(inspect.HostConfig.SecurityOpt).toEqual(['no-new-privileges']);
    expect(inspect.HostConfig.Tmpfs).toEqual({
      '/tmp': expect.stringContaining('size=') as unknown,
    });
    expect(inspect.Config.Env).toEqual(
      expect.arrayContaining([
        'GREETING=hi',
        `SLIPWAY_SERVICE_ID=${serviceId}`,
        'PORT=8080',
        expect.stringMatching(/^SLIPWAY_SERVICE_TOKEN=slp_st_/) as unknown,
      ]),
    );
  });

  it('a bundle without the named Dockerfile ends build_failed saying so', async () => {
    const serviceId = await createService();
    const created = await deploySource(serviceId, { 'index.html': 'x' });
    const done = await waitForEnd(serviceId, created.id);
    expect(done.status).toBe('build_failed');
    expect(done.failure_reason).toMatch(/Dockerfile/);
    expect(done.ended_at).not.toBeNull();
  });

  it('a failing RUN step ends build_failed with the step output', async () => {
    const serviceId = await createService();
    const created = await deploySource(serviceId, {
      Dockerfile: `FROM ${stack.baseImage}\nRUN echo "compiling... boom-output" && exit 3\n`,
    });
    const done = await waitForEnd(serviceId, created.id);
    expect(done.status).toBe('build_failed');
    expect(done.failure_reason).toContain('boom-output');
    const service = await stack.t.http.get(`/v1/services/${serviceId}`).set(admin()).expect(200);
    expect(service.body.data.status).toBe('failed');
  });

  it('a second deploy replaces the first with no failed request during the change', async () => {
    const serviceId = await createService();
    const first = await deploySource(serviceId, site());
    expect((await waitForEnd(serviceId, first.id)).status).toBe('succeeded');

    const load = stack.steadyLoad(serviceId);
    const second = await deploySource(serviceId, {
      ...site(),
      'index.html': 'version two\n',
    });
    expect((await waitForEnd(serviceId, second.id)).status).toBe('succeeded');
    await new Promise((resolve) => setTimeout(resolve, 2500)); // past the drain of the old instance
    const { requests, failures, bodies } = await load.stop();
    expect(failures).toEqual([]);
    expect(requests).toBeGreaterThan(20);
    expect([...bodies].sort()).toEqual([`${SITE_TEXT}\n`, 'version two\n']);
  });

  it('streams instance logs: the tail, then new lines while following', async () => {
    const serviceId = await createService();
    const created = await deploySource(serviceId, {
      Dockerfile: [
        `FROM ${stack.baseImage}`,
        'COPY index.html /www/index.html',
        'CMD ["sh", "-c", "echo started; httpd -p 8080 -h /www; i=0; while true; do i=$((i+1)); echo tick $i; sleep 0.2; done"]',
        '',
      ].join('\n'),
      'index.html': 'x',
    });
    expect((await waitForEnd(serviceId, created.id)).status).toBe('succeeded');
    const pods = await stack.t.http.get(`/v1/services/${serviceId}/pods`).set(admin()).expect(200);
    const pod = pods.body.data[0].name as string;

    const tail = await stack.t.http
      .get(`/v1/services/${serviceId}/pods/${pod}/logs?follow=false`)
      .set(admin())
      .expect(200);
    expect(tail.text.split('\n')[0]).toBe('started');

    const address = stack.t.app.getHttpServer().address() as { port: number };
    const followed = await new Promise<string>((resolve, reject) => {
      const req = httpRequest(
        {
          host: '127.0.0.1',
          port: address.port,
          path: `/v1/services/${serviceId}/pods/${pod}/logs`,
          headers: admin(),
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            text += chunk;
            const ticks = text.match(/tick \d+/g) ?? [];
            // History first, then at least three lines that did not exist when we asked.
            if (ticks.length >= tail.text.split('tick').length + 3) {
              req.destroy();
              resolve(text);
            }
          });
        },
      );
      req.on('error', (error) => (error.message === 'socket hang up' ? undefined : reject(error)));
      req.end();
    });
    expect(followed.startsWith('started\n')).toBe(true);
  });

  it('deleting the service removes its instances, route, bundles, images and deployments', async () => {
    const serviceId = await createService();
    const created = await deploySource(serviceId, site());
    const done = await waitForEnd(serviceId, created.id);
    expect(done.status).toBe('succeeded');

    await stack.t.http.delete(`/v1/services/${serviceId}`).set(admin()).expect(200);

    const containers = await stack.docker.listContainers({
      all: true,
      filters: { label: [`slipway.service-id=${serviceId}`] },
    });
    expect(containers).toEqual([]);
    await expect(stack.docker.getImage(done.image ?? '').inspect()).rejects.toMatchObject({
      statusCode: 404,
    });
    expect(await route(serviceId)).toEqual([]);
    const deployments = await stack.t.dataSource.query<unknown[]>(
      'SELECT id FROM deployments WHERE service_id = $1',
      [serviceId],
    );
    expect(deployments).toEqual([]);
    const [, repository] = /^[^/]+\/(.+):[^:]+$/.exec(done.image ?? '') ?? [];
    const manifest = await fetch(
      `http://${stack.registry}/v2/${repository}/manifests/${done.image_digest}`,
      {
        method: 'HEAD',
        headers: { Accept: 'application/vnd.docker.distribution.manifest.v2+json' },
      },
    );
    expect(manifest.status).toBe(404);
    await stack.t.http.get(`/v1/services/${serviceId}`).set(admin()).expect(404);
  });
});
