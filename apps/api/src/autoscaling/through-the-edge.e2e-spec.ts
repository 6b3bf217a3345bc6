/**
 * Scale to zero and concurrency autoscaling end to end: the docker runtime, the real edge
 * (agent + HAProxy) reporting traffic and holding requests, and the API's autoscaler on a
 * one-second interval. A sleeping service takes 25 parallel first requests without an
 * error; a burst of slow requests scales a service out and it scales back after; a wake
 * that cannot start answers 503 with its reason; a paused service does not wake.
 */
import {
  type DeploymentResource,
  type ServiceOperationResource,
  type ServiceResource,
} from '@slipway/contracts';
import { type Edge } from '@slipway/edge';
import { request as httpRequest } from 'node:http';
import {
  buildTestImage,
  startDockerStack,
  SITE_TEXT,
  type DockerStack,
} from '../../test/support/docker-stack';
import { startEdge } from '../../test/support/edge';
import { eventually } from '../../test/support/eventually';
import { uniqueName } from '../../test/support/fixtures';
import { bearer } from '../../test/support/test-app';

jest.setTimeout(240_000);

/** The shortest idle timeout allowed: each sleep below takes about this long. */
const IDLE_SECONDS = 10;
const SCALE_IN_SECONDS = 5;
/** How long the slow site's CGI takes to answer. */
const SLOW_SECONDS = 4;

interface Reply {
  readonly status: number;
  readonly body: string;
  readonly headers: Record<string, string | string[] | undefined>;
}

describe('scale to zero through the edge', () => {
  let stack: DockerStack;
  let edge: Edge;
  let slowImage: string;
  let key: string;

  const admin = () => bearer(stack.t.adminToken);

  beforeAll(async () => {
    stack = await startDockerStack({
      overrides: {
        'runtime.autoscaleIntervalSeconds': 1,
        'runtime.scaleInSeconds': SCALE_IN_SECONDS,
      },
    });
    edge = await startEdge(stack.t);
    // The site with a CGI that answers after a few seconds: requests stay in flight.
    slowImage = `${stack.siteImage.replace(/:1$/, '')}-slow:1`;
    await buildTestImage(stack.docker, slowImage, {
      Dockerfile: [
        `FROM ${stack.siteImage}`,
        'COPY slow /www/cgi-bin/slow',
        'CMD ["httpd", "-f", "-p", "8080", "-h", "/www"]',
        '',
      ].join('\n'),
      slow: {
        content: `#!/bin/sh\nsleep ${SLOW_SECONDS}\nprintf 'Content-Type: text/plain\\r\\n\\r\\nslow done\\n'\n`,
        mode: 0o755,
      },
    });
    const orgs = await stack.t.http.get('/v1/orgs').set(admin()).expect(200);
    const orgId = (orgs.body.data as { id: string; name: string }[]).find(
      (org) => org.name === 'default',
    )?.id;
    const res = await stack.t.http
      .post('/v1/access-keys')
      .set(admin())
      .send({ name: uniqueName('stz-key'), org_id: orgId })
      .expect(200);
    key = (res.body.data as { key: string }).key;
  }, 300_000);
  afterAll(async () => {
    await edge?.close();
    await stack?.close();
    if (slowImage) {
      await stack.docker
        .getImage(slowImage)
        .remove({ force: true })
        .catch(() => undefined);
    }
  });

  function call(hostname: string, path = '/index.html'): Promise<Reply> {
    return new Promise((resolve, reject) => {
      const req = httpRequest(
        {
          host: '127.0.0.1',
          port: edge.port,
          path,
          agent: false,
          timeout: 120_000,
          headers: { host: hostname, authorization: `Bearer ${key}` },
        },
        (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (body += chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
        },
      );
      req.on('timeout', () => req.destroy(new Error(`${path}: no answer in 120 s`)));
      req.on('error', reject);
      req.end();
    });
  }

  async function deployed(
    prefix: string,
    autoscaling: object,
    image = stack.siteImage,
  ): Promise<ServiceResource> {
    const serviceId = await stack.createService(prefix);
    const res = await stack.t.http
      .post(`/v1/services/${serviceId}/deploy`)
      .set(admin())
      .send({ image, health_check_path: '/index.html', autoscaling })
      .expect(200);
    const deployment = res.body.data as DeploymentResource;
    expect((await stack.waitForDeployment(serviceId, deployment.id)).status).toBe('succeeded');
    const service = await serviceOf(serviceId);
    // The edge routes it (and knows the key) before anything is measured.
    await eventually(
      async () => (await call(service.hostname)).status,
      (status) => status === 200,
      30_000,
    );
    return service;
  }

  const serviceOf = async (serviceId: string): Promise<ServiceResource> =>
    (await stack.t.http.get(`/v1/services/${serviceId}`).set(admin()).expect(200)).body
      .data as ServiceResource;

  const events = async (serviceId: string): Promise<ServiceOperationResource[]> =>
    (await stack.t.http.get(`/v1/services/${serviceId}/events`).set(admin()).expect(200)).body
      .data as ServiceOperationResource[];

  /** Waits until the service has fallen asleep by itself (its idle timeout, then a pass). */
  async function asleep(serviceId: string): Promise<void> {
    await eventually(
      async () => (await serviceOf(serviceId)).status,
      (status) => status === 'sleeping',
      (IDLE_SECONDS + 30) * 1000,
    );
    await eventually(
      async () => (await events(serviceId))[0],
      (event) => event?.cause === 'idle' && event.status === 'succeeded',
      30_000,
    );
  }

  const sleepy = { min_replicas: 0, max_replicas: 2, idle_timeout_seconds: IDLE_SECONDS };

  it('a sleeping service takes 25 parallel first requests: all answered by the woken instance', async () => {
    const service = await deployed('stz-edge-wake', sleepy);
    await asleep(service.id);
    const replies = await Promise.all(Array.from({ length: 25 }, () => call(service.hostname)));
    expect(replies.map((reply) => reply.status)).toEqual(Array(25).fill(200));
    expect(new Set(replies.map((reply) => reply.body))).toEqual(new Set([`${SITE_TEXT}\n`]));
    expect((await serviceOf(service.id)).status).toBe('running');
    const wakes = (await events(service.id)).filter((event) => event.cause === 'wake');
    expect(wakes).toHaveLength(1);
    expect(wakes[0]).toMatchObject({ status: 'succeeded', instances: 1 });
  });

  it('a burst of slow requests scales the service out, and it scales back after the burst', async () => {
    const service = await deployed(
      'stz-edge-burst',
      { min_replicas: 1, max_replicas: 3, target_concurrency: 2 },
      slowImage,
    );
    // Six in flight at two each: three instances. Waves of them follow each other until the
    // scale-out shows (a busy machine may take more than one wave to read and decide).
    const wave = () =>
      Promise.all(Array.from({ length: 6 }, () => call(service.hostname, '/cgi-bin/slow')));
    const scaledOut = (list: ServiceOperationResource[]) =>
      list.some((e) => e.cause === 'autoscale' && e.instances === 3);
    const deadline = Date.now() + 60_000;
    let out = await events(service.id);
    while (!scaledOut(out) && Date.now() < deadline) {
      const replies = await wave();
      expect(replies.map((reply) => reply.status)).toEqual(Array(6).fill(200));
      out = await events(service.id);
    }
    expect(scaledOut(out)).toBe(true);
    expect(out.find((e) => e.instances === 3)?.reason).toMatch(
      /^\d+ requests in flight, 2 per instance wanted: 1 → 3 instances$/,
    );
    await eventually(
      () => stack.route(service.id),
      (endpoints) => endpoints.length === 3,
      60_000,
    );
    // Quiet from here: after the scale-in window it goes back to its floor.
    const back = await eventually(
      () => events(service.id),
      (list) => list[0]?.cause === 'autoscale' && list[0].instances === 1,
      (SCALE_IN_SECONDS + 60) * 1000,
    );
    expect(back[0]?.reason).toMatch(/: 3 → 1 instances$/);
    await eventually(
      () => stack.route(service.id),
      (endpoints) => endpoints.length === 1,
      60_000,
    );
    expect((await call(service.hostname)).status).toBe(200);
  });

  it('a wake that cannot start answers 503 with Retry-After and the reason, never a hang', async () => {
    const image = `${stack.registry}/slipway-e2e-gone-${Date.now()}:1`;
    await stack.docker
      .getImage(stack.siteImage)
      .tag({ repo: image.slice(0, image.lastIndexOf(':')), tag: '1' });
    const service = await deployed('stz-edge-gone', sleepy, image);
    await asleep(service.id);
    // The instance and its image go (as a prune would): waking must pull what is not there.
    const all = await stack.docker.listContainers({
      all: true,
      filters: { label: [`slipway.service-id=${service.id}`] },
    });
    for (const info of all) await stack.docker.getContainer(info.Id).remove({ force: true });
    await stack.docker.getImage(image).remove();

    const reply = await call(service.hostname);
    expect(reply.status).toBe(503);
    expect(reply.headers['retry-after']).toBeDefined();
    const failure = (await events(service.id)).find((e) => e.cause === 'wake')?.failure_reason;
    expect(failure).toBeTruthy();
    const body = JSON.parse(reply.body) as { error: { code: string; message: string } };
    expect(body.error.message).toContain(failure);
    expect((await serviceOf(service.id)).status).toBe('sleeping');
  });

  it('a paused service answers that it is paused, and does not wake', async () => {
    const service = await deployed('stz-edge-paused', sleepy);
    const res = await stack.t.http
      .post(`/v1/services/${service.id}/scale`)
      .set(admin())
      .send({ instances: 0 })
      .expect(202);
    await stack.waitForOperation(service.id, (res.body.data as ServiceOperationResource).id);
    await eventually(
      async () => (await call(service.hostname)).status,
      (status) => status === 503,
      30_000,
    );
    const reply = await call(service.hostname);
    expect(JSON.parse(reply.body)).toMatchObject({
      error: { message: expect.stringContaining('paused') },
    });
    expect((await serviceOf(service.id)).status).toBe('paused');
    expect((await events(service.id)).map((e) => e.cause)).toEqual(['user']);
  });
});
