import {
  CHANNELS,
  ErrorCode,
  MASKED_SECRET_VALUE,
  RouteMessageSchema,
  type DeploymentResource,
  type RouteMessage,
} from '@slipway/contracts';
import Redis from 'ioredis';
import {
  httpGet,
  startDockerStack,
  SITE_TEXT,
  type DockerStack,
} from '../../test/support/docker-stack';
import { createTenant, expectError, uniqueName } from '../../test/support/fixtures';
import { bearer } from '../../test/support/test-app';
import { describeCredentialChecks, withToken } from '../../test/support/credentials';
import { eventually } from '../../test/support/eventually';

jest.setTimeout(90_000);

describe('image deploys on the docker runtime', () => {
  let stack: DockerStack;

  beforeAll(async () => {
    stack = await startDockerStack();
  });
  afterAll(async () => {
    await stack?.close();
  });

  const admin = () => bearer(stack.t.adminToken);

  const createService = () => stack.createService('img');
  const waitForEnd = (serviceId: string, deployment: DeploymentResource) =>
    stack.waitForDeployment(serviceId, deployment.id);

  /** POST an image deploy; the answer is the new deployment. */
  async function deploy(serviceId: string, body: object): Promise<DeploymentResource> {
    const res = await stack.t.http
      .post(`/v1/services/${serviceId}/deploy`)
      .set(admin())
      .send(body)
      .expect(200);
    return res.body.data as DeploymentResource;
  }

  it('deploys an image: 200 with the deployment, then succeeded and serving on 8080', async () => {
    const serviceId = await createService();
    const res = await deploy(serviceId, {
      image: stack.siteImage,
      env: [
        { name: 'GREETING', value: 'hi' },
        { name: 'API_KEY', value: 'sk-very-secret', secret: true },
      ],
      resources: {
        requests: { cpu: '100m', memory: '64Mi' },
        limits: { cpu: '500m', memory: '128Mi' },
      },
    });
    const created = res;
    expect(created).toMatchObject({
      service_id: serviceId,
      status: 'deploying',
      image: stack.siteImage,
      source: null,
    });
    expect(created.env).toEqual([
      { name: 'GREETING', value: 'hi', secret: false },
      { name: 'API_KEY', value: MASKED_SECRET_VALUE, secret: true },
    ]);
    expect(JSON.stringify(created)).not.toContain('sk-very-secret');

    const done = await waitForEnd(serviceId, created);
    expect(done).toMatchObject({ status: 'succeeded', failure_reason: null });
    expect(done.ended_at).not.toBeNull();

    const status = await stack.t.http
      .get(`/v1/services/${serviceId}/status`)
      .set(admin())
      .expect(200);
    expect(status.body.data).toMatchObject({
      total: 1,
      ready: 1,
      available: 1,
      rollout: null,
      live_deployment_id: created.id,
    });
    const service = await stack.t.http.get(`/v1/services/${serviceId}`).set(admin()).expect(200);
    expect(service.body.data.status).toBe('running');

    const endpoints = await stack.route(serviceId);
    expect(endpoints).toHaveLength(1);
    expect(endpoints[0]?.port).toBe(8080);
    await expect(httpGet(endpoints[0]!, '/index.html')).resolves.toEqual({
      status: 200,
      body: `${SITE_TEXT}\n`,
    });

    // The secret reached the container but is stored sealed.
    const [row] = await stack.t.dataSource.query<{ settings: unknown }[]>(
      'SELECT settings FROM deployments WHERE id = $1',
      [created.id],
    );
    expect(JSON.stringify(row?.settings)).not.toContain('sk-very-secret');

    const pods = await stack.t.http.get(`/v1/services/${serviceId}/pods`).set(admin()).expect(200);
    expect(pods.body.data).toEqual([
      expect.objectContaining({
        deployment_id: created.id,
        status: 'running',
        ready: true,
        restarts: 0,
      }),
    ]);
  });

  it('publishes the route on the Redis channel after the rollout, and its removal on delete', async () => {
    const subscriber = new Redis(stack.t.config.redis.url);
    const messages: RouteMessage[] = [];
    subscriber.on('message', (_channel: string, text: string) => {
      messages.push(RouteMessageSchema.parse(JSON.parse(text)));
    });
    await subscriber.subscribe(CHANNELS.routes);
    try {
      const serviceId = await createService();
      const mine = () => messages.filter((m) => m.serviceId === serviceId);
      const done = await waitForEnd(serviceId, await deploy(serviceId, { image: stack.siteImage }));
      expect(done.status).toBe('succeeded');
      const [endpoint] = await stack.route(serviceId);
      const service = await stack.t.http.get(`/v1/services/${serviceId}`).set(admin()).expect(200);
      // Published after the commit the deployment's status shows: it may still be on its way.
      await eventually(
        () => Promise.resolve(mine().at(-1)),
        (last) => last?.type === 'upsert' && last.endpoints.length > 0,
      );
      expect(mine().at(-1)).toMatchObject({
        type: 'upsert',
        hostnames: [service.body.data.hostname],
        accessType: 'private',
        endpoints: [endpoint],
      });
      await stack.t.http.delete(`/v1/services/${serviceId}`).set(admin()).expect(200);
      const deadline = Date.now() + 20_000; // generous: a loaded machine may be slow
      while (mine().at(-1)?.type !== 'delete' && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(mine().at(-1)).toMatchObject({ type: 'delete', serviceId });
      const versions = mine().map((m) => m.version);
      expect(versions).toEqual([...versions].sort((a, b) => a - b));
    } finally {
      await subscriber.quit();
    }
  });

  it('lists deployments newest first and answers for one', async () => {
    const serviceId = await createService();
    const first = await deploy(serviceId, { image: stack.siteImage });
    await waitForEnd(serviceId, first);
    const second = await deploy(serviceId, { image: stack.siteImage });
    await waitForEnd(serviceId, second);
    const list = await stack.t.http
      .get(`/v1/services/${serviceId}/deployments?per_page=1`)
      .set(admin())
      .expect(200);
    expect(list.body.pagination).toEqual({ page: 1, per_page: 1, total: 2, total_pages: 2 });
    expect((list.body.data as DeploymentResource[]).map((d) => d.id)).toEqual([second.id]);
    // The second is done as soon as it serves; the first's instance drains, then goes.
    type Pod = { deployment_id: string; ready: boolean };
    const pods = async (): Promise<Pod[]> =>
      (await stack.t.http.get(`/v1/services/${serviceId}/pods`).set(admin()).expect(200)).body
        .data as Pod[];
    expect((await pods()).filter((pod) => pod.ready).map((pod) => pod.deployment_id)).toEqual([
      second.id,
    ]);
    const left = await eventually(pods, (list) => list.length === 1);
    expect(left.map((pod) => pod.deployment_id)).toEqual([second.id]);
  });

  it('a container that exits ends deployment_failed with its exit code and last log lines', async () => {
    const serviceId = await createService();
    const res = await deploy(serviceId, {
      image: stack.siteImage,
      command: ['sh', '-c', 'echo "config missing: DATABASE_URL"; exit 3'],
    });
    const done = await waitForEnd(serviceId, res);
    expect(done.status).toBe('deployment_failed');
    expect(done.failure_reason).toMatch(/code 3/);
    expect(done.failure_reason).toContain('config missing: DATABASE_URL');
    const service = await stack.t.http.get(`/v1/services/${serviceId}`).set(admin()).expect(200);
    expect(service.body.data.status).toBe('failed');
    expect(service.body.data.status_reason).toBe(done.failure_reason);
  });

  it("takes a stop grace period, shows it, and gives it to the service's containers", async () => {
    const serviceId = await createService();
    const res = await deploy(serviceId, { image: stack.siteImage, stop_grace_period_seconds: 7 });
    const done = await waitForEnd(serviceId, res);
    expect(done).toMatchObject({ status: 'succeeded', stop_grace_period_seconds: 7 });
    const [container] = await stack.docker.listContainers({
      filters: { label: [`slipway.deployment-id=${res.id}`] },
    });
    const inspected = await stack.docker.getContainer(container?.Id ?? '').inspect();
    expect(inspected.Config).toMatchObject({ StopTimeout: 7 });
    // A redeploy carries the setting with the rest of the configuration.
    const again = await stack.t.http
      .post(`/v1/services/${serviceId}/redeploy`)
      .set(admin())
      .expect(200);
    expect(again.body.data).toMatchObject({ stop_grace_period_seconds: 7 });
    await waitForEnd(serviceId, again.body.data as DeploymentResource);
  });

  it('a failed deployment leaves the previous one serving', async () => {
    const serviceId = await createService();
    const good = await deploy(serviceId, { image: stack.siteImage });
    await waitForEnd(serviceId, good);
    const bad = await deploy(serviceId, {
      image: stack.siteImage,
      command: ['sh', '-c', 'exit 1'],
    });
    expect((await waitForEnd(serviceId, bad)).status).toBe('deployment_failed');
    const status = await stack.t.http
      .get(`/v1/services/${serviceId}/status`)
      .set(admin())
      .expect(200);
    expect(status.body.data).toMatchObject({
      status: 'running',
      available: 1,
      live_deployment_id: good.id,
    });
  });

  it('a newer deploy cancels one still in progress', async () => {
    const serviceId = await createService();
    // Never ready: sleeps without listening, so it is still deploying when the next arrives.
    const slow = await deploy(serviceId, { image: stack.siteImage, command: ['sleep', '60'] });
    const next = await deploy(serviceId, { image: stack.siteImage });
    const cancelled = await waitForEnd(serviceId, slow);
    expect(cancelled).toMatchObject({
      status: 'cancelled',
      failure_reason: `superseded by deployment ${next.id}`,
    });
    expect((await waitForEnd(serviceId, next)).status).toBe('succeeded');
  });

  it('honours Idempotency-Key: a retry returns the same deployment', async () => {
    const serviceId = await createService();
    const key = uniqueName('deploy-key');
    const body = { image: stack.siteImage };
    const first = await stack.t.http
      .post(`/v1/services/${serviceId}/deploy`)
      .set(admin())
      .set('Idempotency-Key', key)
      .send(body)
      .expect(200);
    const replay = await stack.t.http
      .post(`/v1/services/${serviceId}/deploy`)
      .set(admin())
      .set('Idempotency-Key', key)
      .send(body)
      .expect(200);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body.data.id).toBe(first.body.data.id);
    const other = await stack.t.http
      .post(`/v1/services/${serviceId}/deploy`)
      .set(admin())
      .set('Idempotency-Key', key)
      .send({ image: stack.siteImage, replicas: 2 })
      .expect(422);
    expectError(other.body, ErrorCode.IdempotencyKeyReused);
    await stack.waitForDeployment(serviceId, first.body.data.id as string);
  });

  describe('bad input', () => {
    let serviceId: string;
    beforeAll(async () => {
      serviceId = await createService();
    });

    it.each([
      [{}, /^image: is required/],
      [{ image: 'NOT A REF' }, /^image: must be an image reference/],
      [{ image: 'x:1', replicas: 0 }, /^replicas: must be at least 1/],
      [
        { image: 'x:1', stop_grace_period_seconds: 0 },
        /^stop_grace_period_seconds: must be at least 1/,
      ],
      [
        { image: 'x:1', stop_grace_period_seconds: 301 },
        /^stop_grace_period_seconds: must be at most 300/,
      ],
      [
        { image: 'x:1', stop_grace_period_seconds: 'soon' },
        /^stop_grace_period_seconds: must be an integer/,
      ],
      [
        { image: 'x:1', replicas: 2, autoscaling: { min_replicas: 1, max_replicas: 2 } },
        /^replicas: cannot be combined with autoscaling/,
      ],
      [
        { image: 'x:1', autoscaling: { min_replicas: 3, max_replicas: 2 } },
        /^autoscaling.min_replicas: must not exceed max_replicas/,
      ],
      [
        { image: 'x:1', resources: { limits: { cpu: 'lots' } } },
        /^resources.limits.cpu: not a CPU quantity/,
      ],
      [{ image: 'x:1', env: [{ name: '1BAD', value: 'x' }] }, /^env.0.name: must be letters/],
      [
        {
          image: 'x:1',
          env: [
            { name: 'A', value: '1' },
            { name: 'A', value: '2' },
          ],
        },
        /^env: 'A' is given more than once/,
      ],
      [
        { image: 'x:1', env: [{ name: 'SLIPWAY_SERVICE_TOKEN', value: 'x' }] },
        /SLIPWAY_SERVICE_TOKEN/,
      ],
      [
        { image: 'x:1', health_check_path: 'healthz' },
        /^health_check_path: must be an absolute HTTP path/,
      ],
      [
        { image: 'x:1', resource_profile_id: '00000000-0000-4000-8000-000000000000' },
        /^resource_profile_id: no resource profile/,
      ],
      [
        { image: 'x:1', docker: { file: 'Dockerfile', context: '.' } },
        /^docker: a source build is sent as multipart/,
      ],
      [{ image: 'x:1', surprise: true }, /^surprise: is not a known field/],
    ])('%j → 400', async (body, message) => {
      const res = await stack.t.http
        .post(`/v1/services/${serviceId}/deploy`)
        .set(admin())
        .send(body)
        .expect(400);
      expect(expectError(res.body, ErrorCode.ValidationFailed).message).toMatch(message);
    });

    it('malformed JSON → 400; other content types → 415', async () => {
      const bad = await stack.t.http
        .post(`/v1/services/${serviceId}/deploy`)
        .set(admin())
        .set('Content-Type', 'application/json')
        .send('{"image":');
      expect(bad.status).toBe(400);
      expectError(bad.body, ErrorCode.MalformedJson);
      const text = await stack.t.http
        .post(`/v1/services/${serviceId}/deploy`)
        .set(admin())
        .set('Content-Type', 'text/plain')
        .send('image=x');
      expect(text.status).toBe(415);
      expectError(text.body, ErrorCode.UnsupportedMediaType);
    });

    it('rejected requests create no deployment', async () => {
      const list = await stack.t.http
        .get(`/v1/services/${serviceId}/deployments`)
        .set(admin())
        .expect(200);
      expect(list.body.pagination.total).toBe(0);
    });
  });

  describe('unknown and foreign ids', () => {
    it('answers 404 for an unknown service, deployment or pod, and 400 for malformed ids', async () => {
      const unknown = '00000000-0000-4000-8000-000000000000';
      const serviceId = await createService();
      for (const path of [
        `/v1/services/${unknown}/deployments`,
        `/v1/services/${unknown}/pods`,
        `/v1/services/${unknown}/status`,
        `/v1/services/${serviceId}/deployments/${unknown}`,
        `/v1/services/${serviceId}/deployments/${unknown}/build-logs`,
        `/v1/services/${serviceId}/pods/slp-nope-0/logs`,
      ]) {
        const res = await stack.t.http.get(path).set(admin());
        expect([path, res.status]).toEqual([path, 404]);
        expectError(res.body, ErrorCode.NotFound);
      }
      const deploy = await stack.t.http
        .post(`/v1/services/${unknown}/deploy`)
        .set(admin())
        .send({ image: 'x:1' });
      expect(deploy.status).toBe(404);
      const malformed = await stack.t.http.get('/v1/services/not-a-uuid/deployments').set(admin());
      expect(malformed.status).toBe(400);
      const badPod = await stack.t.http
        .get(`/v1/services/${serviceId}/pods/..%2Fetc/logs`)
        .set(admin());
      expect(badPod.status).toBe(400);
    });

    it("another tenant's service is 404, never 403", async () => {
      const serviceId = await createService();
      const other = await createTenant(stack.t);
      for (const call of [
        stack.t.http
          .post(`/v1/services/${serviceId}/deploy`)
          .set(bearer(other.user.token))
          .send({ image: 'x:1' }),
        stack.t.http.get(`/v1/services/${serviceId}/deployments`).set(bearer(other.user.token)),
        stack.t.http.get(`/v1/services/${serviceId}/pods`).set(bearer(other.user.token)),
        stack.t.http.get(`/v1/services/${serviceId}/status`).set(bearer(other.user.token)),
      ]) {
        const res = await call;
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
          'POST deploy',
          (token) =>
            withToken(stack.t.http.post(`/v1/services/${id}/deploy`), token).send({ image: 'x:1' }),
        ],
        [
          'GET deployments',
          (token) => withToken(stack.t.http.get(`/v1/services/${id}/deployments`), token),
        ],
        [
          'GET deployment',
          (token) => withToken(stack.t.http.get(`/v1/services/${id}/deployments/${id}`), token),
        ],
        [
          'GET build-logs',
          (token) =>
            withToken(stack.t.http.get(`/v1/services/${id}/deployments/${id}/build-logs`), token),
        ],
        ['GET pods', (token) => withToken(stack.t.http.get(`/v1/services/${id}/pods`), token)],
        [
          'GET pod logs',
          (token) => withToken(stack.t.http.get(`/v1/services/${id}/pods/x/logs`), token),
        ],
        ['GET status', (token) => withToken(stack.t.http.get(`/v1/services/${id}/status`), token)],
      ];
    },
  );
});
