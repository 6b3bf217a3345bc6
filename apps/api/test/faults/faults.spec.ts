/**
 * Faults survived, with real processes: the API and the builder are killed with SIGKILL,
 * PostgreSQL and Redis are restarted, all of them this suite's own (see FaultStack). After
 * each fault nothing is stuck in progress, nothing is lost, no container is orphaned, and
 * where something failed the reason is recorded.
 */
import { request } from 'node:http';
import { Readable } from 'node:stream';
import { type DeploymentResource, type ServiceRuntimeStatus } from '@slipway/contracts';
import { Client } from 'pg';
import { bundleOf, siteDockerfile, SITE_TEXT } from '../support/docker-stack';
import { eventually } from '../support/eventually';
import { FaultStack } from './fault-stack';

jest.setTimeout(300_000);

/** The API's recovery bound after it is back: lock expiry plus a stalled check, with room. */
const RECOVERY_MS = 60_000;
const SLOW_START = ['sh', '-c', 'sleep 4; exec httpd -f -p 8080 -h /www'];

const stack = new FaultStack();
let image = '';
let projectId = '';

async function db<T>(sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new Client({
    connectionString: `postgres://postgres@127.0.0.1:${stack.pgPort}/postgres`,
  });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end();
  }
}

async function createService(name: string): Promise<string> {
  const res = await stack.call('POST', '/v1/services', {
    name: `${name}-${stack.run}`,
    project_id: projectId,
  });
  expect(res.status).toBe(200);
  return (res.body as { data: { id: string } }).data.id;
}

async function deploy(serviceId: string, body: object): Promise<DeploymentResource> {
  const res = await stack.call('POST', `/v1/services/${serviceId}/deploy`, body);
  expect(res.status).toBe(200);
  return (res.body as { data: DeploymentResource }).data;
}

async function deployment(serviceId: string, id: string): Promise<DeploymentResource> {
  const res = await stack.get(`/v1/services/${serviceId}/deployments/${id}`);
  return (res.body as { data: DeploymentResource }).data;
}

/** Polls until the deployment ended (the API may be down for a while meanwhile). */
async function ended(serviceId: string, id: string, timeoutMs = RECOVERY_MS) {
  return eventually(
    () => deployment(serviceId, id).catch(() => undefined),
    (d) => d !== undefined && d.status !== 'building' && d.status !== 'deploying',
    timeoutMs,
  ) as Promise<DeploymentResource>;
}

async function containersOf(deploymentId: string): Promise<string[]> {
  const list = await stack.docker.listContainers({
    all: true,
    filters: { label: [`slipway.deployment-id=${deploymentId}`] },
  });
  return list.map((info) => info.Id);
}

/**
 * The endpoint the route points at answers 200 (what the edge would see). The timeout is
 * generous: on a loaded machine a healthy instance may take seconds to answer.
 */
async function serving(serviceId: string): Promise<boolean> {
  const [route] = await db<{ endpoints: { host: string; port: number }[] }>(
    'SELECT endpoints FROM service_routes WHERE service_id = $1',
    [serviceId],
  );
  const endpoint = route?.endpoints[0];
  if (!endpoint) return false;
  return new Promise((resolve) => {
    const req = request({ ...endpoint, path: '/', timeout: 10_000, agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => req.destroy());
    req.end();
  });
}

/** After a fault: nothing in progress is left behind, and every container has an owner. */
async function expectSettled(): Promise<void> {
  await expect(
    db("SELECT id FROM deployments WHERE status IN ('building', 'deploying')"),
  ).resolves.toEqual([]);
  await expect(db("SELECT id FROM service_operations WHERE status = 'running'")).resolves.toEqual(
    [],
  );
  await expect(
    db(
      "SELECT id FROM deployments WHERE status LIKE '%failed' AND coalesce(failure_reason, '') = ''",
    ),
  ).resolves.toEqual([]);
  // Replaced instances drain (1 s) and go; what is left is what live deployments own.
  const live = new Set(
    (await db<{ deployment_id: string }>('SELECT deployment_id FROM service_routes')).map(
      (row) => row.deployment_id,
    ),
  );
  const orphans = async () =>
    (
      await stack.docker.listContainers({
        all: true,
        filters: { label: ['slipway.managed-by=slipway'], network: [stack.network] },
      })
    ).filter(
      (info) =>
        !live.has(info.Labels['slipway.deployment-id'] ?? '') ||
        info.Names.some((name) => name.startsWith('/slp-retired-')),
    );
  await expect(eventually(orphans, (list) => list.length === 0, 20_000)).resolves.toEqual([]);
}

beforeAll(async () => {
  await stack.start();
  image = `slipway-faults/site-${stack.run}:1`;
  const build = await stack.docker.buildImage(
    Readable.from([
      await bundleOf({
        Dockerfile: siteDockerfile(process.env.SLIPWAY_TEST_BASE_IMAGE ?? ''),
        'index.html': `${SITE_TEXT}\n`,
      }),
    ]),
    { t: image },
  );
  await new Promise<void>((resolve, reject) =>
    stack.docker.modem.followProgress(build, (error: Error | null) =>
      error ? reject(error) : resolve(),
    ),
  );
  const orgs = await stack.get('/v1/orgs');
  const org = (orgs.body as { data: { id: string; name: string }[] }).data.find(
    (o) => o.name === 'default',
  );
  const projects = await stack.get(`/v1/projects?org_id=${org?.id ?? ''}`);
  projectId = (projects.body as { data: { id: string; name: string }[] }).data.find(
    (p) => p.name === 'default',
  )!.id;
});

afterAll(async () => {
  await stack.stop();
  await stack.docker
    .getImage(image)
    .remove({ force: true })
    .catch(() => undefined);
});

describe('faults survived (real processes)', () => {
  it('kill -9 of the API during a rollout: it resumes after the restart, the previous one serving meanwhile', async () => {
    const serviceId = await createService('api-rollout');
    const first = await deploy(serviceId, { image });
    expect((await ended(serviceId, first.id)).status).toBe('succeeded');
    const second = await deploy(serviceId, { image, command: SLOW_START });
    await eventually(
      () => containersOf(second.id),
      (ids) => ids.length > 0,
    );

    await stack.killApi();
    await expect(serving(serviceId)).resolves.toBe(true);
    await stack.startApi();

    const outcome = await ended(serviceId, second.id);
    expect(outcome.status).toBe('succeeded');
    await expect(serving(serviceId)).resolves.toBe(true);
    await expectSettled();
  });

  it('kill -9 of the API during a scale: the operation ends after the restart', async () => {
    const serviceId = await createService('api-scale');
    const first = await deploy(serviceId, { image, command: SLOW_START });
    expect((await ended(serviceId, first.id)).status).toBe('succeeded');
    const scale = await stack.call('POST', `/v1/services/${serviceId}/scale`, { instances: 2 });
    expect(scale.status).toBe(202);
    await eventually(
      () => containersOf(first.id),
      (ids) => ids.length === 2,
    );

    await stack.killApi();
    await stack.startApi();

    const status = await eventually(
      async () =>
        (
          (await stack.get(`/v1/services/${serviceId}/status`)).body as {
            data: ServiceRuntimeStatus;
          }
        ).data,
      (now) => now.operation?.status !== 'running',
      RECOVERY_MS,
    );
    expect(status.operation).toMatchObject({ kind: 'scale', status: 'succeeded' });
    expect(status).toMatchObject({ status: 'running', available: 2 });
    await expectSettled();
  });

  it('kill -9 of the builder mid-build: the build is retried by the next builder', async () => {
    const serviceId = await createService('builder');
    const form = new FormData();
    form.set('data', JSON.stringify({ docker: { file: 'Dockerfile', context: '.' } }));
    const dockerfile = siteDockerfile(process.env.SLIPWAY_TEST_BASE_IMAGE ?? '').replace(
      'COPY index.html',
      'RUN sleep 6\nCOPY index.html',
    );
    form.set(
      'source',
      new Blob([await bundleOf({ Dockerfile: dockerfile, 'index.html': 'built\n' })]),
      'source.tar.gz',
    );
    const res = await stack.call('POST', `/v1/services/${serviceId}/deploy`, form);
    expect(res.status).toBe(200);
    const built = (res.body as { data: DeploymentResource }).data;
    // Killed while the build runs its slow step.
    await eventually(
      () => stack.text(`/v1/services/${serviceId}/deployments/${built.id}/build-logs?follow=false`),
      (log) => log.includes('sleep 6'),
      30_000,
    );

    await stack.killBuilder();
    stack.startBuilder();

    const outcome = await ended(serviceId, built.id, 120_000);
    if (outcome.status !== 'succeeded') {
      expect(outcome).toMatchObject({ status: 'build_failed', failure_reason: expect.any(String) });
    }
    await expectSettled();
  });

  it.each([
    ['PostgreSQL', 'PostgreSQL is unreachable'],
    ['Redis', 'Redis is unreachable'],
  ])(
    '%s restarted mid-deploy: /readyz names it while down, and the deploy ends by itself',
    async (dependency, problem) => {
      const serviceId = await createService(`restart-${dependency.toLowerCase()}`);
      const rollout = await deploy(serviceId, { image, command: SLOW_START });
      await eventually(
        () => containersOf(rollout.id),
        (ids) => ids.length > 0,
      );

      if (dependency === 'PostgreSQL') stack.stopPostgres();
      else await stack.stopRedis();
      const down = await eventually(
        () => stack.get('/readyz'),
        (res) => res.status === 503,
        10_000,
      );
      expect((down.body as { problems: string[] }).problems).toContain(problem);
      if (dependency === 'PostgreSQL') stack.startPostgres();
      else await stack.startRedis();
      await eventually(
        () => stack.get('/readyz').catch(() => ({ status: 0, body: null })),
        (res) => res.status === 200,
        RECOVERY_MS,
      );

      const outcome = await ended(serviceId, rollout.id);
      if (outcome.status !== 'succeeded') {
        expect(outcome).toMatchObject({
          status: 'deployment_failed',
          failure_reason: expect.any(String),
        });
      }
      await expectSettled();
    },
  );
});
