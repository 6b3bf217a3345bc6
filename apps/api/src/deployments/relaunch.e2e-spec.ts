/**
 * Redeploy, rollback and env updates on the docker runtime with a builder in this process:
 * each is a new deployment made from an earlier one.
 */
import { ErrorCode, type DeploymentResource } from '@slipway/contracts';
import { describeCredentialChecks, withToken } from '../../test/support/credentials';
import {
  bundleOf,
  httpGet,
  siteDockerfile,
  startDockerStack,
  SITE_TEXT,
  type DockerStack,
} from '../../test/support/docker-stack';
import { createTenant, expectError } from '../../test/support/fixtures';
import { bearer } from '../../test/support/test-app';

jest.setTimeout(120_000);

describe('redeploy, rollback and env updates', () => {
  let stack: DockerStack;

  beforeAll(async () => {
    stack = await startDockerStack({ builder: true });
  });
  afterAll(async () => {
    await stack?.close();
  });

  const admin = () => bearer(stack.t.adminToken);
  const wait = (serviceId: string, deployment: DeploymentResource) =>
    stack.waitForDeployment(serviceId, deployment.id);

  async function call(
    method: 'post' | 'put',
    path: string,
    body: object = {},
    status = 200,
  ): Promise<DeploymentResource> {
    const res = await stack.t.http[method](path).set(admin()).send(body).expect(status);
    return res.body.data as DeploymentResource;
  }

  /** GREETING as the service's live instance sees it. */
  async function liveGreeting(serviceId: string): Promise<string> {
    const pods = await stack.t.http.get(`/v1/services/${serviceId}/pods`).set(admin()).expect(200);
    const [pod] = pods.body.data as { name: string }[];
    const exec = await stack.docker.getContainer(pod?.name ?? '').exec({
      Cmd: ['sh', '-c', 'echo "$GREETING"'],
      AttachStdout: true,
      AttachStderr: true,
    });
    const stream = await exec.start({ hijack: true, stdin: false });
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    // The exec stream is multiplexed: 8-byte frame headers before each payload.
    let out = '';
    const data = Buffer.concat(chunks);
    for (let at = 0; at + 8 <= data.length;) {
      const size = data.readUInt32BE(at + 4);
      out += data.subarray(at + 8, at + 8 + size).toString();
      at += 8 + size;
    }
    return out.trim();
  }

  async function imageService(greeting: string): Promise<[string, DeploymentResource]> {
    const serviceId = await stack.createService('ops');
    const first = await call('post', `/v1/services/${serviceId}/deploy`, {
      image: stack.siteImage,
      env: [{ name: 'GREETING', value: greeting }],
      health_check_path: '/index.html',
    });
    expect((await wait(serviceId, first)).status).toBe('succeeded');
    return [serviceId, first];
  }

  it('redeploys the current image and settings as a new deployment', async () => {
    const [serviceId, first] = await imageService('hello');
    const again = await call('post', `/v1/services/${serviceId}/redeploy`);
    expect(again).toMatchObject({
      trigger: 'redeploy',
      status: 'deploying',
      image: first.image,
      env: first.env,
      health_check_path: '/index.html',
    });
    expect((await wait(serviceId, again)).status).toBe('succeeded');
    const status = await stack.t.http
      .get(`/v1/services/${serviceId}/status`)
      .set(admin())
      .expect(200);
    expect(status.body.data).toMatchObject({ live_deployment_id: again.id, available: 1 });
  });

  it('rebuilds a source deployment from its stored bundle on redeploy', async () => {
    const serviceId = await stack.createService('ops-src');
    const res = await stack.t.http
      .post(`/v1/services/${serviceId}/deploy`)
      .set(admin())
      .field('data', JSON.stringify({ docker: { file: 'Dockerfile', context: '.' } }))
      .attach(
        'source',
        await bundleOf({
          Dockerfile: siteDockerfile(stack.baseImage),
          'index.html': `${SITE_TEXT}\n`,
        }),
        'archive.tar.gz',
      )
      .expect(200);
    const built = await wait(serviceId, res.body.data as DeploymentResource);
    expect(built.status).toBe('succeeded');

    const again = await call('post', `/v1/services/${serviceId}/redeploy`);
    expect(again).toMatchObject({ trigger: 'redeploy', status: 'building', source: built.source });
    expect(again.image).toBe(built.image?.replace(built.id, again.id));
    const rebuilt = await wait(serviceId, again);
    expect(rebuilt.status).toBe('succeeded');
    expect(rebuilt.image_digest).toMatch(/^sha256:/);
    const [endpoint] = await stack.route(serviceId);
    await expect(httpGet(endpoint!, '/index.html')).resolves.toEqual({
      status: 200,
      body: `${SITE_TEXT}\n`,
    });
  });

  it('an env update rolls out the new set; a rollback restores the old values, checked inside the container', async () => {
    const [serviceId, first] = await imageService('one');
    expect(await liveGreeting(serviceId)).toBe('one');

    const updated = await call('put', `/v1/services/${serviceId}/env`, {
      env: [
        { name: 'GREETING', value: 'two' },
        { name: 'TOKEN', value: 'kept-secret', secret: true },
      ],
    });
    expect(updated).toMatchObject({
      trigger: 'env_update',
      image: first.image,
      health_check_path: '/index.html',
      env: [
        { name: 'GREETING', value: 'two', secret: false },
        { name: 'TOKEN', value: '********', secret: true },
      ],
    });
    expect((await wait(serviceId, updated)).status).toBe('succeeded');
    expect(await liveGreeting(serviceId)).toBe('two');

    const rolledBack = await call('post', `/v1/services/${serviceId}/rollback`, {
      deployment_id: first.id,
    });
    expect(rolledBack).toMatchObject({ trigger: 'rollback', image: first.image, env: first.env });
    expect((await wait(serviceId, rolledBack)).status).toBe('succeeded');
    expect(await liveGreeting(serviceId)).toBe('one');
  });

  it('drops no request while a redeploy, a rolling restart, an env update and a rollback run in turn', async () => {
    const [serviceId, first] = await imageService('steady');
    const load = stack.steadyLoad(serviceId);
    const deployed = async (step: Promise<DeploymentResource>): Promise<void> => {
      expect((await wait(serviceId, await step)).status).toBe('succeeded');
    };
    try {
      await deployed(call('post', `/v1/services/${serviceId}/redeploy`));
      const restart = await stack.t.http
        .post(`/v1/services/${serviceId}/restart`)
        .set(admin())
        .expect(202);
      const restarted = await stack.waitForOperation(serviceId, restart.body.data.id as string);
      expect(restarted.operation?.status).toBe('succeeded');
      await deployed(
        call('put', `/v1/services/${serviceId}/env`, { env: [{ name: 'GREETING', value: 'new' }] }),
      );
      await deployed(
        call('post', `/v1/services/${serviceId}/rollback`, { deployment_id: first.id }),
      );
      await new Promise((resolve) => setTimeout(resolve, 2000)); // past the last drain
    } finally {
      const { requests, failures } = await load.stop();
      expect(failures).toEqual([]);
      expect(requests).toBeGreaterThan(30);
    }
  });

  it('rolling back to a build that failed, or whose image was deleted, is a 409 saying why', async () => {
    const serviceId = await stack.createService('ops-gone');
    const deploySource = async (files: Record<string, string>): Promise<DeploymentResource> => {
      const res = await stack.t.http
        .post(`/v1/services/${serviceId}/deploy`)
        .set(admin())
        .field('data', JSON.stringify({ docker: { file: 'Dockerfile', context: '.' } }))
        .attach('source', await bundleOf(files), 'archive.tar.gz')
        .expect(200);
      return wait(serviceId, res.body.data as DeploymentResource);
    };
    const rollbackTo = (deploymentId: string) =>
      stack.t.http
        .post(`/v1/services/${serviceId}/rollback`)
        .set(admin())
        .send({ deployment_id: deploymentId })
        .expect(409);

    const failed = await deploySource({ 'index.html': 'no Dockerfile here' });
    expect(failed.status).toBe('build_failed');
    const noImage = await rollbackTo(failed.id);
    expect(expectError(noImage.body, ErrorCode.Conflict).message).toMatch(
      /never produced an image \(it ended build_failed\)/,
    );

    const built = await deploySource({
      Dockerfile: siteDockerfile(stack.baseImage),
      'index.html': 'v1',
    });
    expect(built.status).toBe('succeeded');
    // Someone deletes the image from the registry.
    const repository = /^[^/]+\/(.+):[^:]+$/.exec(built.image ?? '')?.[1] ?? '';
    const deleted = await fetch(
      `http://${stack.registry}/v2/${repository}/manifests/${built.image_digest}`,
      { method: 'DELETE' },
    );
    expect(deleted.status).toBe(202);
    const gone = await rollbackTo(built.id);
    expect(expectError(gone.body, ErrorCode.Conflict).message).toMatch(
      /was deleted from the registry; it cannot be rolled back to/,
    );
  });

  it('redeploy and env updates need a deployment that succeeded: 409 otherwise', async () => {
    const serviceId = await stack.createService('ops-new');
    for (const [method, path, body] of [
      ['post', 'redeploy', {}],
      ['put', 'env', { env: [] }],
    ] as const) {
      const res = await stack.t.http[method](`/v1/services/${serviceId}/${path}`)
        .set(admin())
        .send(body)
        .expect(409);
      expect(expectError(res.body, ErrorCode.Conflict).message).toMatch(
        /no deployment that succeeded/,
      );
    }
  });

  describe('bad input, unknown and foreign ids', () => {
    let serviceId: string;
    beforeAll(async () => {
      [serviceId] = await imageService('x');
    });

    it.each([
      ['post', 'rollback', {}, /^deployment_id: is required/],
      ['post', 'rollback', { deployment_id: 'nope' }, /^deployment_id: must be a UUID/],
      ['put', 'env', {}, /^env: is required/],
      ['put', 'env', { env: [{ name: '1X', value: 'v' }] }, /^env\.0\.name: must be letters/],
      [
        'put',
        'env',
        {
          env: [
            { name: 'A', value: '1' },
            { name: 'A', value: '2' },
          ],
        },
        /'A' is given more than once/,
      ],
      ['put', 'env', { env: [{ name: 'SLIPWAY_SERVICE_ID', value: 'x' }] }, /SLIPWAY_SERVICE_ID/],
    ] as const)('%s %s %j → 400', async (method, path, body, message) => {
      const res = await stack.t.http[method](`/v1/services/${serviceId}/${path}`)
        .set(admin())
        .send(body)
        .expect(400);
      expect(expectError(res.body, ErrorCode.ValidationFailed).message).toMatch(message);
    });

    it('answers 404 for an unknown service or deployment, and for another tenant', async () => {
      const unknown = '00000000-0000-4000-8000-000000000000';
      const missing = await stack.t.http
        .post(`/v1/services/${serviceId}/rollback`)
        .set(admin())
        .send({ deployment_id: unknown })
        .expect(404);
      expectError(missing.body, ErrorCode.NotFound);
      await stack.t.http.post(`/v1/services/${unknown}/redeploy`).set(admin()).expect(404);
      const other = await createTenant(stack.t);
      for (const request of [
        stack.t.http.post(`/v1/services/${serviceId}/redeploy`),
        stack.t.http.post(`/v1/services/${serviceId}/rollback`).send({ deployment_id: unknown }),
        stack.t.http.put(`/v1/services/${serviceId}/env`).send({ env: [] }),
      ]) {
        const res = await request.set(bearer(other.user.token));
        expect(res.status).toBe(404);
      }
    });
  });

  describeCredentialChecks(
    () => stack.t,
    () => {
      const id = '00000000-0000-4000-8000-000000000000';
      return [
        [
          'POST redeploy',
          (token) => withToken(stack.t.http.post(`/v1/services/${id}/redeploy`), token),
        ],
        [
          'POST rollback',
          (token) =>
            withToken(stack.t.http.post(`/v1/services/${id}/rollback`), token).send({
              deployment_id: id,
            }),
        ],
        [
          'PUT env',
          (token) => withToken(stack.t.http.put(`/v1/services/${id}/env`), token).send({ env: [] }),
        ],
      ];
    },
  );
});
