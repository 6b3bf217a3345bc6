/**
 * Scale to zero on the docker runtime, with the edge played by the test: its activity hash in
 * Redis (what it saw of the traffic) and its wake requests on the wake channel. Sleep after
 * the idle timeout, not while a request is in flight or after a recent one, nor with no edge
 * reporting; one wake however often asked; a failed wake says why and is not retried at
 * once; a paused service neither sleeps nor wakes; every decision is an event with a reason.
 */
import {
  CHANNELS,
  ErrorCode,
  RouteMessageSchema,
  edgeActivityKey,
  type DeploymentResource,
  type RouteMessage,
  type ServiceOperationResource,
  type ServiceResource,
} from '@slipway/contracts';
import Redis from 'ioredis';
import { describeCredentialChecks, withToken } from '../../test/support/credentials';
import { startDockerStack, type DockerStack, httpGet } from '../../test/support/docker-stack';
import { eventually } from '../../test/support/eventually';
import { createTenant, expectError, expectServiceNotFound } from '../../test/support/fixtures';
import { bearer } from '../../test/support/test-app';
import { Autoscaler } from './autoscaler';
import { EdgeActivityReader } from './edge-activity';

jest.setTimeout(180_000);

const IDLE_SECONDS = 10;
const SCALE_IN_SECONDS = 5;

describe('scale to zero', () => {
  let stack: DockerStack;
  let redis: Redis;
  let subscriber: Redis;
  const edgeKey = edgeActivityKey(`test-edge-${process.pid}-${Date.now()}`);
  const routeMessages: RouteMessage[] = [];

  const admin = () => bearer(stack.t.adminToken);
  const autoscaler = () => stack.t.app.get(Autoscaler);

  beforeAll(async () => {
    stack = await startDockerStack({ overrides: { 'runtime.scaleInSeconds': SCALE_IN_SECONDS } });
    redis = new Redis(stack.t.config.redis.url);
    subscriber = new Redis(stack.t.config.redis.url);
    subscriber.on('message', (_channel: string, raw: string) => {
      routeMessages.push(RouteMessageSchema.parse(JSON.parse(raw)));
    });
    await subscriber.subscribe(CHANNELS.routes);
    // The test drives every pass itself, with the clock it chooses.
    await autoscaler().onApplicationShutdown();
  });
  afterAll(async () => {
    await redis?.del(edgeKey);
    redis?.disconnect();
    subscriber?.disconnect();
    await stack?.close();
  });

  /** What the test's edge reports for `serviceId`. */
  async function report(serviceId: string, inFlight: number, lastRequestAt: number) {
    await redis.hset(edgeKey, serviceId, JSON.stringify({ inFlight, lastRequestAt }));
    await redis.pexpire(edgeKey, 120_000);
  }

  async function deployed(prefix: string, image = stack.siteImage): Promise<string> {
    const serviceId = await stack.createService(prefix);
    const res = await stack.t.http
      .post(`/v1/services/${serviceId}/deploy`)
      .set(admin())
      .send({
        image,
        health_check_path: '/index.html',
        autoscaling: { min_replicas: 0, max_replicas: 2, idle_timeout_seconds: IDLE_SECONDS },
      })
      .expect(200);
    const deployment = res.body.data as DeploymentResource;
    expect((await stack.waitForDeployment(serviceId, deployment.id)).status).toBe('succeeded');
    return serviceId;
  }

  const service = async (serviceId: string): Promise<ServiceResource> =>
    (await stack.t.http.get(`/v1/services/${serviceId}`).set(admin()).expect(200)).body
      .data as ServiceResource;

  const events = async (serviceId: string): Promise<ServiceOperationResource[]> =>
    (await stack.t.http.get(`/v1/services/${serviceId}/events`).set(admin()).expect(200)).body
      .data as ServiceOperationResource[];

  const statusOf = (serviceId: string, wanted: string) =>
    eventually(
      async () => (await service(serviceId)).status,
      (status) => status === wanted,
      90_000,
    );

  const runningContainers = async (serviceId: string) =>
    stack.docker.listContainers({
      filters: { label: [`slipway.service-id=${serviceId}`], status: ['running'] },
    });

  async function wakeRequest(serviceId: string): Promise<void> {
    await redis.publish(
      CHANNELS.wakeRequests,
      JSON.stringify({ serviceId, at: new Date().toISOString() }),
    );
  }

  /** Waits for the newest scale (an event) to end; answers it. */
  const settledEvent = async (serviceId: string): Promise<ServiceOperationResource> =>
    (
      await eventually(
        () => events(serviceId),
        (list) => list[0] !== undefined && list[0].status !== 'running',
        90_000,
      )
    )[0]!;

  /** Puts the service to sleep through the autoscaler, as if its idle timeout had passed. */
  async function sleeping(serviceId: string): Promise<void> {
    await report(serviceId, 0, Date.now());
    expect((await autoscaler().pass(Date.now() + (IDLE_SECONDS + 1) * 1000)).slept).toContain(
      serviceId,
    );
    expect(await settledEvent(serviceId)).toMatchObject({ cause: 'idle', status: 'succeeded' });
    expect((await service(serviceId)).status).toBe('sleeping');
  }

  it('reads and checks the settings', async () => {
    const serviceId = await stack.createService('stz-settings');
    const deploy = (autoscaling: object) =>
      stack.t.http
        .post(`/v1/services/${serviceId}/deploy`)
        .set(admin())
        .send({ image: stack.siteImage, autoscaling });
    for (const [autoscaling, message] of [
      [
        { min_replicas: 1, max_replicas: 2, idle_timeout_seconds: 60 },
        'autoscaling.idle_timeout_seconds: only applies with min_replicas 0',
      ],
      [{ min_replicas: 0, max_replicas: 2, idle_timeout_seconds: 5 }, 'must be at least 10'],
      [{ min_replicas: 0, max_replicas: 2, target_concurrency: 0 }, 'must be at least 1'],
      [{ min_replicas: 0, max_replicas: 2, target_concurrency: 'x' }, 'must be an integer'],
    ] as const) {
      const res = await deploy(autoscaling).expect(400);
      expect(expectError(res.body, ErrorCode.ValidationFailed).message).toContain(message);
    }
    const res = await deploy({ min_replicas: 0, max_replicas: 3, target_concurrency: 5 }).expect(
      200,
    );
    expect((res.body.data as DeploymentResource).autoscaling).toMatchObject({
      min_replicas: 0,
      max_replicas: 3,
      target_concurrency: 5,
      idle_timeout_seconds: 900,
    });
  });

  it('an idle service sleeps: not while a request is in flight or after a recent one, then its instances stop and the edge is told', async () => {
    const serviceId = await deployed('stz-sleep');
    const now = Date.now();
    const later = now + 60 * 60_000;

    // A request in flight keeps it awake however long ago the last one began.
    await report(serviceId, 1, now - 60 * 60_000);
    expect((await autoscaler().pass(later)).slept).not.toContain(serviceId);
    // A recent request too.
    await report(serviceId, 0, now);
    expect((await autoscaler().pass(now + 5_000)).slept).not.toContain(serviceId);
    expect((await service(serviceId)).status).toBe('running');

    routeMessages.length = 0;
    expect((await autoscaler().pass(now + (IDLE_SECONDS + 1) * 1000)).slept).toContain(serviceId);
    await settledEvent(serviceId);
    expect((await service(serviceId)).status).toBe('sleeping');
    expect(await runningContainers(serviceId)).toEqual([]);
    expect(await stack.route(serviceId)).toEqual([]);
    const told = routeMessages.filter((m) => m.serviceId === serviceId).at(-1);
    expect(told).toMatchObject({ type: 'upsert', endpoints: [], paused: false, sleeping: true });
    expect((await events(serviceId))[0]).toMatchObject({
      kind: 'scale',
      instances: 0,
      cause: 'idle',
      reason: `no request for ${IDLE_SECONDS} s`,
      status: 'succeeded',
      started_by: null,
    });
  });

  it('wakes once however often asked, reads waking then running, and serves again', async () => {
    const serviceId = await deployed('stz-wake');
    await sleeping(serviceId);
    routeMessages.length = 0;
    await Promise.all([wakeRequest(serviceId), wakeRequest(serviceId), wakeRequest(serviceId)]);
    await eventually(
      async () => (await service(serviceId)).status,
      (status) => status === 'waking' || status === 'running',
      30_000,
    );
    await statusOf(serviceId, 'running');
    const [endpoint] = await stack.route(serviceId);
    expect((await httpGet(endpoint!, '/index.html')).status).toBe(200);
    const wakes = (await events(serviceId)).filter((e) => e.cause === 'wake');
    expect(wakes).toHaveLength(1);
    expect(wakes[0]).toMatchObject({
      instances: 1,
      status: 'succeeded',
      reason: 'a request arrived while it slept',
    });
    const told = routeMessages.filter((m) => m.serviceId === serviceId).at(-1);
    expect(told).toMatchObject({ type: 'upsert', paused: false });
    expect(told?.type === 'upsert' && told.sleeping).toBeFalsy();
    expect(told?.type === 'upsert' && told.endpoints).toHaveLength(1);
  });

  it('scales out at once to the in-flight requests, and back in once they stayed low for the window', async () => {
    const serviceId = await stack.createService('stz-burst');
    const res = await stack.t.http
      .post(`/v1/services/${serviceId}/deploy`)
      .set(admin())
      .send({
        image: stack.siteImage,
        health_check_path: '/index.html',
        autoscaling: { min_replicas: 1, max_replicas: 3, target_concurrency: 5 },
      })
      .expect(200);
    const deployment = res.body.data as DeploymentResource;
    expect((await stack.waitForDeployment(serviceId, deployment.id)).status).toBe('succeeded');

    // 12 in flight at 5 each: 3 instances, at once.
    const now = Date.now();
    await report(serviceId, 12, now);
    expect((await autoscaler().pass(now)).scaled.get(serviceId)).toBe(3);
    expect(await settledEvent(serviceId)).toMatchObject({
      cause: 'autoscale',
      instances: 3,
      status: 'succeeded',
      reason: '12 requests in flight, 5 per instance wanted: 1 → 3 instances',
    });
    expect(await runningContainers(serviceId)).toHaveLength(3);
    expect(await stack.route(serviceId)).toHaveLength(3);

    // The burst ends: nothing changes until the calm has lasted the whole window.
    await report(serviceId, 0, now);
    const calm = Date.now();
    expect((await autoscaler().pass(calm)).scaled.has(serviceId)).toBe(false);
    expect((await autoscaler().pass(calm + 2_000)).scaled.has(serviceId)).toBe(false);
    expect(
      (await autoscaler().pass(calm + (SCALE_IN_SECONDS + 1) * 1000)).scaled.get(serviceId),
    ).toBe(1);
    expect(await settledEvent(serviceId)).toMatchObject({
      cause: 'autoscale',
      instances: 1,
      status: 'succeeded',
      reason: `at most 5 requests in flight for ${SCALE_IN_SECONDS} s: 3 → 1 instances`,
    });
    expect(await stack.route(serviceId)).toHaveLength(1);
    // The min stays: nothing in flight does not scale it to zero.
    expect((await autoscaler().pass(calm + 60 * 60_000)).scaled.has(serviceId)).toBe(false);
  });

  it('does not sleep while no edge reports traffic', async () => {
    const serviceId = await deployed('stz-blind');
    // Other test files' edges may report in this Redis: this pass reads none.
    const reader = stack.t.app.get(EdgeActivityReader);
    const blind = jest.spyOn(reader, 'read').mockResolvedValue({ edges: 0, services: new Map() });
    try {
      expect((await autoscaler().pass(Date.now() + 60 * 60_000)).slept).toEqual([]);
    } finally {
      blind.mockRestore();
    }
    expect((await service(serviceId)).status).toBe('running');
  });

  it('a paused service neither sleeps nor wakes', async () => {
    const serviceId = await deployed('stz-paused');
    const res = await stack.t.http
      .post(`/v1/services/${serviceId}/scale`)
      .set(admin())
      .send({ instances: 0 })
      .expect(202);
    await stack.waitForOperation(serviceId, (res.body.data as ServiceOperationResource).id);
    expect((await service(serviceId)).status).toBe('paused');
    await report(serviceId, 0, 0);
    expect((await autoscaler().pass(Date.now() + 60 * 60_000)).slept).not.toContain(serviceId);
    await wakeRequest(serviceId);
    // The listener decides within moments; give it a second to act if it were going to.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect((await service(serviceId)).status).toBe('paused');
    expect((await events(serviceId)).map((e) => e.cause)).toEqual(['user']);
  });

  it('a wake that cannot start leaves it sleeping with the reason, tells the edge, and is not retried at once', async () => {
    // An image only this service uses, known to the engine and absent from the registry.
    const image = `${stack.registry}/slipway-e2e-gone-${Date.now()}:1`;
    const [repo, tag] = [image.slice(0, image.lastIndexOf(':')), '1'];
    await stack.docker.getImage(stack.siteImage).tag({ repo, tag });
    const serviceId = await deployed('stz-gone', image);
    await sleeping(serviceId);
    // The instance and its image go (as a prune would): waking must create and pull anew.
    const all = await stack.docker.listContainers({
      all: true,
      filters: { label: [`slipway.service-id=${serviceId}`] },
    });
    for (const info of all) await stack.docker.getContainer(info.Id).remove({ force: true });
    await stack.docker.getImage(image).remove();

    routeMessages.length = 0;
    await wakeRequest(serviceId);
    const failed = await eventually(
      () => events(serviceId),
      (list) => list[0]?.cause === 'wake' && list[0].status === 'failed',
      90_000,
    );
    expect(failed[0]?.failure_reason).toBeTruthy();
    const asleep = await service(serviceId);
    expect(asleep).toMatchObject({ status: 'sleeping', status_reason: failed[0]?.failure_reason });
    const told = routeMessages.filter((m) => m.serviceId === serviceId).at(-1);
    expect(told).toMatchObject({ sleeping: true, wakeFailure: failed[0]?.failure_reason });

    // Asked again at once: the failure stands (the edge answers with it), no second try yet.
    await wakeRequest(serviceId);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect((await events(serviceId)).filter((e) => e.cause === 'wake')).toHaveLength(1);
    expect((await service(serviceId)).status).toBe('sleeping');
  });

  it('answers 404 for the events of an unknown service and of one of another tenant', async () => {
    const serviceId = await stack.createService('stz-events');
    const outsider = await createTenant(stack.t);
    await expectServiceNotFound(
      stack.t,
      (id) => `/v1/services/${id}/events`,
      serviceId,
      outsider.user.token,
    );
  });

  describeCredentialChecks(
    () => stack.t,
    () => [
      [
        'GET events',
        (token) =>
          withToken(
            stack.t.http.get('/v1/services/00000000-0000-4000-8000-000000000000/events'),
            token,
          ),
      ],
    ],
  );
});
