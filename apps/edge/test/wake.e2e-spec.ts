/**
 * Sleeping services at the edge: their requests pass every check in HAProxy, then wait in
 * the agent while the service wakes (the test plays the API: it hears the wake requests and
 * answers with route changes), and are proxied once it is awake; a failed or late wake, and
 * a full queue, are answered 503 with Retry-After.
 */
import { once } from 'node:events';
import { createServer, request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { type TestApi, bearer, uniqueName } from '@slipway/api-testing';
import type { RouteMessage } from '@slipway/contracts';
import { WebSocket, WebSocketServer } from 'ws';
import type { Edge } from '../src';
import {
  type ControlPlane,
  activityHash,
  metric,
  startControlPlane,
} from './support/control-plane';
import {
  type LocalUpstreams,
  MB,
  echoServer,
  startLocalUpstreams,
} from './support/local-upstreams';
import {
  call,
  createAccessKey,
  errorOf,
  eventually,
  keyKnown,
  publishRoute,
  routed,
  startEdge,
  storeRoute,
} from './support/stack';

jest.setTimeout(120_000);

const WAKE_TIMEOUT_MS = 4000;
const QUEUE_LIMIT = 30;
const EDGE_ID = `wake-e2e-${process.pid}`;

type Upsert = Extract<RouteMessage, { type: 'upsert' }>;
interface Service {
  id: string;
  hostname: string;
  access: 'public' | 'private';
}

describe('sleeping services at the edge', () => {
  let upstreams: LocalUpstreams;
  let t: TestApi;
  let edge: Edge;
  let orgId: string;
  let projectId: string;
  let plane: ControlPlane;
  let echo: { host: string; port: number };
  let key: string;
  // Newer than anything the API publishes (epoch ms) or the database holds.
  let version = Date.now() * 2;

  beforeAll(async () => {
    upstreams = await startLocalUpstreams({
      wake: { timeoutMs: WAKE_TIMEOUT_MS, queueLimit: QUEUE_LIMIT },
      activity: { intervalMs: 200, edgeId: EDGE_ID },
    });
    ({ t, edge, orgId, projectId } = upstreams);
    plane = await startControlPlane(t.redisUrl);
    echo = { host: '127.0.0.1', port: await upstreams.started(echoServer()) };
    // The key is known once an awake private service takes it (nothing is woken for that).
    const awake = await upstreams.routedTo(echo.port, 'private');
    ({ key } = await createAccessKey(t, t.adminToken, { org_id: orgId }));
    await keyKnown(edge, awake.hostname, key);
  });
  afterAll(async () => {
    await plane?.close();
    await upstreams?.close();
  });

  /** A service created through the API, its route published as `route` says. */
  async function service(access: 'public' | 'private', route: Partial<Upsert>): Promise<Service> {
    const res = await t.http
      .post('/v1/services')
      .set(bearer(t.adminToken))
      .send({
        name: uniqueName('wake'),
        project_id: projectId,
        access_control: { access_type: access },
      })
      .expect(200);
    const created = (res.body as { data: { id: string; hostname: string } }).data;
    const result = { ...created, access };
    await publish(result, route);
    return result;
  }

  /** Publishes the service's route as the API would, and waits until the edge has it. */
  async function publish(s: Service, route: Partial<Upsert>, on = [edge]): Promise<void> {
    version += 1;
    await publishRoute(t.redisUrl, {
      type: 'upsert',
      serviceId: s.id,
      orgId,
      projectId,
      hostnames: [s.hostname],
      accessType: s.access,
      endpoints: [],
      deployed: true,
      ...route,
      version,
    });
    for (const reader of on) await routed(reader, s.hostname, version);
  }

  const outcomes = (s: Service, outcome: string) =>
    metric(edge, 'slipway_edge_wake_outcomes_total', `service="${s.id}",outcome="${outcome}"`);
  const held = (s: Service) => metric(edge, 'slipway_edge_held_requests', `service="${s.id}"`);

  it('holds 25 parallel first requests (and a POST body), wakes the service once, and proxies them all', async () => {
    const s = await service('private', { sleeping: true });
    let acted = 0;
    const woken = plane.onWake(s.id, async () => {
      acted += 1;
      // Held requests are in flight: this edge reports them while they wait.
      await eventually(async () => {
        const { fields } = await activityHash(t.redisUrl, EDGE_ID);
        expect(fields.get(s.id)?.inFlight).toBe(26);
        expect(await held(s)).toBe(26);
      });
      await publish(s, { endpoints: [echo] });
    });
    const auth = bearer(key);
    const gets = Array.from({ length: 25 }, (_, i) =>
      call(edge, s.hostname, {
        path: `/item/${i}`,
        headers: { ...auth, 'X-Request-Id': `held-${i}` },
      }),
    );
    const post = call(edge, s.hostname, {
      method: 'POST',
      path: '/upload',
      headers: { ...auth, 'Content-Type': 'application/octet-stream' },
      body: Buffer.alloc(MB, 7),
    });
    await woken;
    const replies = await Promise.all(gets);
    expect(acted).toBe(1);
    expect(plane.heard(s.id)).toBeGreaterThanOrEqual(1);
    replies.forEach((reply, i) => {
      expect(reply.status).toBe(200);
      expect(reply.headers['x-request-id']).toBe(`held-${i}`);
      // The instance's hop-by-hop fields stop at the edge, as they do for an awake service.
      expect(reply.headers['x-upstream-hop']).toBeUndefined();
      expect(reply.headers['keep-alive']).toBeUndefined();
      const seen = JSON.parse(reply.body) as { url: string; headers: Record<string, string> };
      expect(seen.url).toBe(`/item/${i}`);
      // What the instance sees: exactly what HAProxy forwards for an awake service.
      expect(seen.headers).toMatchObject({
        host: s.hostname,
        'x-request-id': `held-${i}`,
        'x-forwarded-for': '127.0.0.1',
        'x-forwarded-proto': 'http',
        'x-forwarded-host': s.hostname,
      });
      expect(seen.headers.authorization).toBeUndefined();
      expect(seen.headers['x-slipway-service']).toBeUndefined();
    });
    const uploaded = await post;
    expect(uploaded.status).toBe(200);
    expect(JSON.parse(uploaded.body)).toMatchObject({ method: 'POST', bytes: MB });
    expect(await outcomes(s, 'released')).toBe(26);
    expect(await held(s)).toBe(0);

    // HAProxy logs each once, against the service, with the status the instance gave.
    await edge.flushTelemetry();
    const rows = await t.query<{ status: number; count: string }>(
      'SELECT status, count(*) FROM access_logs WHERE service_id = $1 GROUP BY status',
      [s.id],
    );
    expect(rows).toEqual([{ status: 200, count: '26' }]);
  });

  it('answers a request without a key 401, and asks for no wake', async () => {
    const s = await service('private', { sleeping: true });
    const reply = await call(edge, s.hostname);
    expect(reply.status).toBe(401);
    expect(errorOf(reply).code).toBe('unauthorized');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(plane.heard(s.id)).toBe(0);
  });

  it('holds a WebSocket upgrade while the service wakes, then tunnels it', async () => {
    const server = createServer();
    const wss = new WebSocketServer({ server });
    wss.on('connection', (socket) => socket.on('message', (data) => socket.send(data)));
    const port = await upstreams.started(server);
    try {
      const s = await service('public', { sleeping: true });
      const woken = plane.onWake(s.id, () =>
        publish(s, { endpoints: [{ host: '127.0.0.1', port }] }),
      );
      const socket = new WebSocket(`ws://127.0.0.1:${edge.port}/live`, {
        headers: { Host: s.hostname },
      });
      // Listening before the wake: the tunnel may open before the route change settles.
      const opened = once(socket, 'open');
      await woken;
      await opened;
      socket.send('hello after a nap');
      const [data] = (await once(socket, 'message')) as [Buffer];
      expect(data.toString()).toBe('hello after a nap');
      socket.close(1000);
      await once(socket, 'close');
      expect(await outcomes(s, 'released')).toBe(1);
    } finally {
      wss.close();
    }
  });

  it('answers held requests 503 with the reason when the wake fails, new ones at once, and recovers once fixed', async () => {
    const s = await service('public', { sleeping: true });
    const reason = 'image pull failed: manifest unknown';
    const woken = plane.onWake(s.id, async () => {
      // Both held before the wake fails: a request arriving after it is answered at once.
      await eventually(async () => expect(await held(s)).toBe(2));
      await publish(s, { sleeping: true, wakeFailure: reason });
    });
    const replies = [call(edge, s.hostname), call(edge, s.hostname)];
    await woken;
    for (const reply of await Promise.all(replies)) {
      expect(reply.status).toBe(503);
      expect(reply.headers['retry-after']).toBe('10');
      expect(errorOf(reply)).toMatchObject({
        code: 'service_unavailable',
        message: expect.stringContaining(reason),
      });
    }
    expect(await outcomes(s, 'failed')).toBe(2);

    const askedAt = Date.now();
    const again = await call(edge, s.hostname, { headers: { 'X-Request-Id': 'after-failure' } });
    expect(Date.now() - askedAt).toBeLessThan(2000);
    expect(again.status).toBe(503);
    expect(errorOf(again)).toMatchObject({ request_id: 'after-failure' });
    expect(errorOf(again).message).toContain(reason);

    // Fixed: the API clears the failure; the next request is held and wakes it.
    await publish(s, { sleeping: true });
    const recovered = plane.onWake(s.id, () => publish(s, { endpoints: [echo] }));
    const reply = call(edge, s.hostname);
    await recovered;
    expect((await reply).status).toBe(200);
  });

  it('answers 503 after the wait limit when no wake comes, asking again meanwhile, and 503 at once beyond the queue limit', async () => {
    const s = await service('public', { sleeping: true });
    const startedAt = Date.now();
    const waiting = Array.from({ length: QUEUE_LIMIT }, () => call(edge, s.hostname));
    await eventually(async () => expect(await held(s)).toBe(QUEUE_LIMIT));
    const refused = await call(edge, s.hostname);
    expect(refused.status).toBe(503);
    expect(refused.headers['retry-after']).toBe('5');
    expect(errorOf(refused).message).toMatch(`already holds ${QUEUE_LIMIT} waiting requests`);

    for (const reply of await Promise.all(waiting)) {
      expect(reply.status).toBe(503);
      expect(reply.headers['retry-after']).toBe('5');
      expect(errorOf(reply).message).toMatch(/did not wake in time/);
    }
    const waited = Date.now() - startedAt;
    expect(waited).toBeGreaterThanOrEqual(WAKE_TIMEOUT_MS - 200);
    expect(waited).toBeLessThan(WAKE_TIMEOUT_MS + 15_000);
    // Asked at the first request and again every 3 s while any was held.
    expect(plane.heard(s.id)).toBeGreaterThanOrEqual(2);
    expect(await outcomes(s, 'timed_out')).toBe(QUEUE_LIMIT);
    expect(await outcomes(s, 'queue_full')).toBe(1);
  });

  it('drops a held request whose connection to the agent closed', async () => {
    const s = await service('public', { sleeping: true });
    // As HAProxy reaches the agent: what it does when its client goes away.
    const req = httpRequest({
      socketPath: join(edge.config.haproxy.runDir, 'wake.sock'),
      path: '/',
      headers: { Host: s.hostname, 'X-Slipway-Service': s.id },
    });
    req.on('error', () => undefined);
    req.end();
    await eventually(async () => expect(await held(s)).toBe(1));
    req.destroy();
    await eventually(async () => expect(await held(s)).toBe(0));
    expect(await outcomes(s, 'abandoned')).toBe(1);
  });

  it('answers 503 with Retry-After while no agent runs (a restart), and holds again once one adopts HAProxy', async () => {
    const first = await startEdge(t);
    let second: Edge | undefined;
    try {
      const s = await service('public', {});
      await publish(s, { sleeping: true }, [edge, first]);
      await first.detach();
      const reply = await call(first, s.hostname);
      expect(reply.status).toBe(503);
      expect(reply.headers['retry-after']).toBe('5');
      expect(errorOf(reply).message).toMatch(/no ready instance/);

      second = await startEdge(t, {
        overrides: {
          http: { port: first.port, host: '127.0.0.1' },
          haproxy: { runDir: first.config.haproxy.runDir },
        },
      });
      expect(second.haproxyStart).toBe('adopted');
      // The route came in a message, not from the database: the new agent hears it again.
      await publish(s, { sleeping: true }, [edge, second]);
      const woken = plane.onWake(s.id, () => publish(s, { endpoints: [echo] }, [edge, second!]));
      const held = call(second, s.hostname);
      await woken;
      expect((await held).status).toBe(200);
    } finally {
      await (second ?? first).close();
    }
  });

  it('answers a paused service 503 "paused", and asks for no wake', async () => {
    const s = await service('public', { paused: true });
    const reply = await call(edge, s.hostname);
    expect(reply.status).toBe(503);
    expect(reply.headers['retry-after']).toBe('5');
    expect(errorOf(reply).message).toMatch(/paused/);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(plane.heard(s.id)).toBe(0);
  });

  it('reads sleeping services and their failed wakes from the database', async () => {
    const asleep = await service('public', { endpoints: [echo] });
    const failed = await service('public', { endpoints: [echo] });
    // Waking: asleep to the edge until an instance is ready (as the API writes it).
    await t.query(
      `UPDATE services SET status = 'waking', instances = NULL, asleep = false WHERE id = $1`,
      [asleep.id],
    );
    await t.query(
      `UPDATE services SET status = 'sleeping', instances = 0, asleep = true,
              status_reason = 'no capacity', wake_failure = 'no capacity' WHERE id = $1`,
      [failed.id],
    );
    for (const s of [asleep, failed]) await storeRoute(t, s.id, [], (version += 1));
    await edge.resync();
    expect(edge.routes.get(asleep.id)).toMatchObject({
      sleeping: true,
      paused: false,
      wakeFailure: null,
    });
    expect(edge.routes.get(failed.id)).toMatchObject({
      sleeping: true,
      wakeFailure: 'no capacity',
    });

    const woken = plane.onWake(asleep.id, () => publish(asleep, { endpoints: [echo] }));
    const reply = call(edge, asleep.hostname);
    await woken;
    expect((await reply).status).toBe(200);
    const refused = await call(edge, failed.hostname);
    expect(refused.status).toBe(503);
    expect(errorOf(refused).message).toContain('no capacity');
  });
});
