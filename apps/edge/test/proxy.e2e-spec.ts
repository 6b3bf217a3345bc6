/**
 * Proxy mechanics against local upstreams: headers, limits, failures, metrics and graceful
 * shutdown (tunnels and streaming are in tunnels.e2e-spec.ts). The services are real
 * (created through the API); their routes point at servers this file starts.
 */
import { type Server, createServer, request as httpRequest } from 'node:http';
import { type TestApi, bearer, createService, createTenant } from '@slipway/api-testing';
import type { Edge } from '../src';
import {
  type LocalUpstreams,
  closeServer,
  echoServer,
  listen,
  startLocalUpstreams,
} from './support/local-upstreams';
import {
  call,
  createAccessKey,
  errorOf,
  eventually,
  publishRoute,
  keyKnown,
  routed,
  startEdge,
} from './support/stack';

jest.setTimeout(120_000);

describe('the edge proxying to local upstreams', () => {
  let upstreams: LocalUpstreams;
  let t: TestApi;
  let edge: Edge;
  let projectId: string;
  let orgId: string;
  let echoPort: number;
  const routedTo = (ports: number | readonly number[], access?: 'public' | 'private') =>
    upstreams.routedTo(ports, access);
  const started = (server: Server): Promise<number> => upstreams.started(server);

  beforeAll(async () => {
    // The default response timeout (60 s): a loaded machine may keep these upstreams, which
    // run in this process, from answering for seconds. The 504 test has its own edge.
    upstreams = await startLocalUpstreams();
    ({ t, edge, projectId, orgId } = upstreams);
    echoPort = await started(echoServer());
  });
  afterAll(async () => {
    await upstreams?.close();
  });

  describe('headers', () => {
    it('strips Authorization and hop-by-hop fields, adds X-Forwarded-* and the request id', async () => {
      const service = await routedTo(echoPort, 'private');
      const { key } = await createAccessKey(t, t.adminToken, { project_id: projectId });
      await keyKnown(edge, service.hostname, key);
      const reply = await call(edge, service.hostname, {
        path: '/some/path?q=1',
        headers: {
          ...bearer(key),
          Connection: 'close, X-Client-Hop',
          'X-Client-Hop': 'must not pass',
          'Proxy-Authorization': 'Basic abc',
          TE: 'trailers',
          'X-Forwarded-For': '10.6.6.6',
          'X-Request-Id': 'caller-chosen-id',
        },
      });
      expect(reply.status).toBe(200);
      const seen = JSON.parse(reply.body) as { url: string; headers: Record<string, string> };
      expect(seen.url).toBe('/some/path?q=1');
      expect(seen.headers.authorization).toBeUndefined();
      expect(seen.headers['x-client-hop']).toBeUndefined();
      expect(seen.headers['proxy-authorization']).toBeUndefined();
      expect(seen.headers.te).toBeUndefined();
      expect(seen.headers).toMatchObject({
        host: service.hostname,
        'x-forwarded-for': '127.0.0.1',
        'x-forwarded-proto': 'http',
        'x-forwarded-host': service.hostname,
        'x-request-id': 'caller-chosen-id',
      });
      expect(reply.headers['x-request-id']).toBe('caller-chosen-id');
      expect(reply.headers['x-upstream-hop']).toBeUndefined();
      expect(reply.headers['keep-alive']).toBeUndefined();
    });
  });

  describe('failures', () => {
    it('answers 502 in the error shape when the instance refuses connections', async () => {
      const closed = createServer();
      const port = await listen(closed);
      await closeServer(closed);
      const service = await routedTo(port);
      const reply = await call(edge, service.hostname);
      expect(reply.status).toBe(502);
      expect(errorOf(reply).code).toBe('bad_gateway');
    });

    it('answers 504 in the error shape when the instance does not answer in time', async () => {
      const impatient = await startEdge(t, {
        overrides: { upstream: { responseTimeoutMs: 1000 } },
      });
      try {
        // Answers only long after any timeout here, so the 504 can come from nothing else.
        const silent = createServer((_req, res) => {
          setTimeout(() => res.end('late'), 120_000).unref();
        });
        const service = await routedTo(await started(silent));
        await routed(impatient, service.hostname, service.version);
        const startedAt = Date.now();
        const reply = await call(impatient, service.hostname);
        expect(reply.status).toBe(504);
        expect(errorOf(reply).code).toBe('gateway_timeout');
        // The configured 1 s, not the 60 s default; room to spare for a loaded machine.
        expect(Date.now() - startedAt).toBeGreaterThanOrEqual(900);
        expect(Date.now() - startedAt).toBeLessThan(30_000);
      } finally {
        await impatient.close();
      }
    });

    it('spreads requests over every ready instance', async () => {
      const ports = await Promise.all(
        ['first', 'second'].map((name) => started(createServer((_req, res) => res.end(name)))),
      );
      const service = await routedTo(ports);
      // Forty draws all landing on one of two instances: one chance in 2^39.
      await eventually(async () => {
        const bodies = new Set<string>();
        for (let i = 0; i < 40; i++) bodies.add((await call(edge, service.hostname)).body);
        expect([...bodies].sort()).toEqual(['first', 'second']);
      });
    });

    it('answers 503 with Retry-After for a service with no ready instance', async () => {
      const service = await routedTo(echoPort);
      await publishRoute(t.redisUrl, {
        type: 'upsert',
        serviceId: service.id,
        orgId,
        projectId,
        hostnames: [service.hostname],
        accessType: 'public',
        endpoints: [],
        version: Date.now() * 3,
      });
      const reply = await eventually(async () => {
        const r = await call(edge, service.hostname);
        expect(r.status).toBe(503);
        return r;
      });
      expect(reply.headers['retry-after']).toMatch(/^\d+$/);
      expect(errorOf(reply).message).not.toMatch(/paused/);
    });

    it('ignores a late route message older than the one applied', async () => {
      const service = await routedTo(echoPort);
      await publishRoute(t.redisUrl, {
        type: 'delete',
        serviceId: service.id,
        version: 1,
      });
      await publishRoute(t.redisUrl, {
        type: 'upsert',
        serviceId: service.id,
        orgId,
        projectId,
        hostnames: [service.hostname],
        accessType: 'public',
        endpoints: [],
        version: 2,
      });
      // Messages on one channel arrive in order: once a fresh one is applied, so were those.
      const marker = await routedTo(echoPort);
      expect(edge.routes.lookup(marker.hostname)).toBeDefined();
      expect((await call(edge, service.hostname)).status).toBe(200);
    });
  });

  describe('a service never deployed', () => {
    async function created(
      access: 'public' | 'private',
    ): Promise<{ id: string; hostname: string }> {
      const service = await createService(t, {
        projectId,
        prefix: 'new',
        body: { access_control: { access_type: access } },
      });
      await routed(edge, service.hostname);
      return service;
    }

    it('is known from its creation: 503 not_deployed, saying why', async () => {
      const service = await created('public');
      const reply = await call(edge, service.hostname);
      expect(reply.status).toBe(503);
      expect(reply.headers['retry-after']).toMatch(/^\d+$/);
      const error = errorOf(reply);
      expect(error.code).toBe('service_unavailable');
      expect(error.message).toMatch(/no successful deployment/);
    });

    it('checks credentials first when private: 401, 403, then 503 with a valid key', async () => {
      const service = await created('private');
      expect((await call(edge, service.hostname)).status).toBe(401);
      const tenant = await createTenant(t);
      const foreign = await createAccessKey(t, tenant.user.token, { org_id: tenant.orgId });
      const { key } = await createAccessKey(t, t.adminToken, { org_id: orgId });
      await keyKnown(edge, service.hostname, key);
      await keyKnown(edge, service.hostname, foreign.key);
      expect((await call(edge, service.hostname, { headers: bearer(foreign.key) })).status).toBe(
        403,
      );
      const reply = await call(edge, service.hostname, { headers: bearer(key) });
      expect(reply.status).toBe(503);
      expect(errorOf(reply).message).toMatch(/no successful deployment/);
    });
  });

  describe('limits', () => {
    let small: Edge;
    beforeAll(async () => {
      small = await startEdge(t, {
        overrides: {
          http: { port: 0, host: '127.0.0.1', maxBodyBytes: 1024, maxHeaderBytes: 2048 },
        },
      });
    });
    afterAll(async () => {
      await small?.close();
    });

    it('refuses a declared body over the limit with 413 before reaching the instance', async () => {
      const service = await routedTo(echoPort);
      await routed(small, service.hostname, service.version);
      const reply = await call(small, service.hostname, { method: 'POST', body: 'x'.repeat(2048) });
      expect(reply.status).toBe(413);
      expect(errorOf(reply).code).toBe('payload_too_large');
    });

    it('cuts a chunked body at the limit with 413', async () => {
      const service = await routedTo(echoPort);
      await routed(small, service.hostname, service.version);
      const reply = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = httpRequest(
          {
            host: '127.0.0.1',
            port: small.port,
            method: 'POST',
            path: '/',
            headers: { Host: service.hostname, 'Transfer-Encoding': 'chunked' },
            agent: false,
          },
          (res) => {
            let body = '';
            res.on('data', (chunk: Buffer) => (body += chunk.toString()));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
          },
        );
        req.on('error', reject);
        for (let i = 0; i < 4; i += 1) req.write('y'.repeat(512));
        req.end();
      });
      expect(reply.status).toBe(413);
    });

    it('refuses headers over the limit with 431 in the error shape', async () => {
      const reply = await call(small, 'anything.localhost', {
        headers: { 'X-Big': 'z'.repeat(4096) },
      });
      expect(reply.status).toBe(431);
      expect(JSON.parse(reply.body)).toMatchObject({ error: { code: 'headers_too_large' } });
    });
  });

  describe('operations', () => {
    it('serves Prometheus metrics per service on the admin port only', async () => {
      const service = await routedTo(echoPort);
      expect((await call(edge, service.hostname)).status).toBe(200);
      // The request is counted from its access-log line, which the agent reads in batches.
      const text = await eventually(async () => {
        const res = await fetch(`${edge.adminUrl}/metrics`);
        expect(res.status).toBe(200);
        const body = await res.text();
        expect(body).toContain(`slipway_edge_requests_total{service="${service.id}"`);
        return body;
      });
      expect(text).toMatch(
        new RegExp(
          `slipway_edge_requests_total\\{service="${service.id}",method="GET",status="200"\\} 1`,
        ),
      );
      expect(text).toMatch(
        new RegExp(`slipway_edge_request_duration_seconds_count\\{service="${service.id}"\\} 1`),
      );
      // Through a service hostname, /metrics is the service's own path.
      const proxied = await call(edge, service.hostname, { path: '/metrics' });
      expect(JSON.parse(proxied.body)).toMatchObject({ url: '/metrics' });
      expect((await fetch(`${edge.adminUrl}/readyz`)).status).toBe(200);
    });

    it('drains an in-flight request on shutdown and refuses new connections', async () => {
      const draining = await startEdge(t);
      // Steps, not sleeps (a loaded machine may pause this process for seconds): the request
      // is held at the instance until the edge refuses new connections, then answered.
      let arrived!: () => void;
      const atInstance = new Promise<void>((resolve) => (arrived = resolve));
      let answer!: () => void;
      const answered = new Promise<void>((resolve) => (answer = resolve));
      // Only the held request waits: a probe that reaches the instance before HAProxy has
      // stopped listening is answered at once, so the probing below can go on.
      const slow = createServer((req, res) => {
        if (req.url !== '/held') return void res.end('probe');
        arrived();
        void answered.then(() => res.end('finished'));
      });
      const service = await routedTo(await started(slow));
      await routed(draining, service.hostname, service.version);
      const inFlight = call(draining, service.hostname, { path: '/held' });
      await atInstance;
      const closed = draining.close();
      // HAProxy stops listening once it has the signal: a moment after close() is called.
      await eventually(
        () => expect(call(draining, service.hostname)).rejects.toThrow(/ECONNREFUSED/),
        5000,
      );
      answer();
      expect(await inFlight).toMatchObject({ status: 200, body: 'finished' });
      await closed;
    });
  });
});
