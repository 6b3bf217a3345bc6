import { type DeploymentResource } from '@slipway/contracts';
import { eventually } from '../../test/support/eventually';
import { adminDefaults } from '../../test/support/fixtures';
import { bearer, startTestApp, type TestApp } from '../../test/support/test-app';

/** The back-off between a deploy job's three attempts (deploy-queue.ts): 2 s, then 4 s. */
const RETRIED_AT_THE_EARLIEST_MS = 2000 + 4000;

describe('health', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('GET /healthz answers 200 without credentials', async () => {
    const res = await t.http.get('/healthz').expect(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  it('GET /readyz reports PostgreSQL, Redis and the Docker Engine reachable', async () => {
    const res = await t.http.get('/readyz').expect(200);
    expect(res.body).toEqual({
      status: 'ok',
      checks: { postgres: 'ok', redis: 'ok', runtime: 'ok' },
    });
  });
});

describe('readiness with Redis unreachable', () => {
  let t: TestApp;
  beforeAll(async () => {
    // Port 1 on loopback: nothing listens there, so every connection is refused.
    t = await startTestApp({ overrides: { 'redis.url': 'redis://127.0.0.1:1' } });
  });
  afterAll(async () => {
    await t.close();
  });

  it('GET /readyz answers 503 and names the failing dependency', async () => {
    const res = await t.http.get('/readyz').expect(503);
    expect(res.body).toEqual({
      status: 'unavailable',
      checks: { postgres: 'ok', redis: 'unreachable', runtime: 'ok' },
      problems: ['Redis is unreachable'],
    });
  });
});

describe('readiness with the Docker Engine unreachable', () => {
  let t: TestApp;
  const dockerHost = process.env.DOCKER_HOST;
  beforeAll(async () => {
    // dockerode reads DOCKER_HOST when the runtime is created: a socket nobody serves.
    process.env.DOCKER_HOST = 'unix:///nonexistent/docker.sock';
    t = await startTestApp({ overrides: { 'runtime.driver': 'docker' } });
  });
  afterAll(async () => {
    if (dockerHost === undefined) delete process.env.DOCKER_HOST;
    else process.env.DOCKER_HOST = dockerHost;
    await t.close();
  });

  it('GET /readyz answers 503 naming the engine', async () => {
    const res = await t.http.get('/readyz').expect(503);
    expect(res.body).toEqual({
      status: 'unavailable',
      checks: { postgres: 'ok', redis: 'ok', runtime: 'unreachable' },
      problems: [expect.stringMatching(/^the Docker Engine is unreachable \(connect ENOENT/)],
    });
  });

  it('fails a deploy at once, with a reason naming the engine', async () => {
    const admin = bearer(t.adminToken);
    const { projectId } = await adminDefaults(t);
    const service = await t.http
      .post('/v1/services')
      .set(admin)
      .send({ name: 'no-engine', project_id: projectId })
      .expect(200);
    const serviceId = (service.body.data as { id: string }).id;
    const started = Date.now();
    const deploy = await t.http
      .post(`/v1/services/${serviceId}/deploy`)
      .set(admin)
      .send({ image: 'registry.invalid/site:1' })
      .expect(200);
    const deploymentId = (deploy.body.data as DeploymentResource).id;
    const ended = await eventually(
      async () =>
        (
          await t.http
            .get(`/v1/services/${serviceId}/deployments/${deploymentId}`)
            .set(admin)
            .expect(200)
        ).body.data as DeploymentResource,
      (deployment) => deployment.status !== 'deploying',
    );
    expect(ended).toMatchObject({
      status: 'deployment_failed',
      failure_reason: expect.stringMatching(/^the Docker Engine is unreachable \(connect ENOENT/),
    });
    // Not retried as a platform hiccup: three attempts wait 2 s, then 4 s, of back-off before
    // the last one can fail. Bounded by that, not by how fast the first attempt usually ends
    // (under 1 s), so that a loaded machine does not fail the test.
    expect(Date.now() - started).toBeLessThan(RETRIED_AT_THE_EARLIEST_MS);
  });
});
