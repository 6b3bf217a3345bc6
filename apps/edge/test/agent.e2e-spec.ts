/**
 * The agent's promises about HAProxy: a restarted agent adopts the running HAProxy without
 * dropping a request; while no agent reads the keys, private services answer 503 and public
 * ones keep working; with Redis unreachable, a revoked key is still refused within a second.
 * Routes are stored in PostgreSQL, as the API stores them, so every edge here loads them.
 */
import {
  type TestApi,
  adminDefaults,
  bearer,
  createService,
  startTestApi,
} from '@slipway/api-testing';
import type { Edge } from '../src';
import { echoServer, listen, closeServer } from './support/local-upstreams';
import {
  call,
  createAccessKey,
  errorOf,
  eventually,
  keyKnown,
  startEdge,
  storeRoute,
} from './support/stack';

jest.setTimeout(120_000);

describe('the edge agent and its HAProxy', () => {
  let t: TestApi;
  let projectId: string;
  let orgId: string;
  let echo: ReturnType<typeof echoServer>;
  let echoPort: number;

  beforeAll(async () => {
    t = await startTestApi();
    ({ projectId, orgId } = await adminDefaults(t));
    echo = echoServer();
    echoPort = await listen(echo);
  });
  afterAll(async () => {
    await closeServer(echo);
    await t?.close();
  });

  /** A service whose stored route points at the echo server (as a deployment leaves it). */
  async function storedService(
    access: 'public' | 'private',
  ): Promise<{ id: string; hostname: string }> {
    const service = await createService(t, {
      projectId,
      prefix: 'agent',
      body: { access_control: { access_type: access } },
    });
    await storeRoute(t, service.id, [{ host: '127.0.0.1', port: echoPort }], Date.now() * 2);
    return service;
  }

  /** Requests one after another until stopped; resolves with what failed and how many went. */
  function steadyLoad(edge: Edge, hostname: string) {
    let running = true;
    let requests = 0;
    const failures: string[] = [];
    const done = (async () => {
      while (running) {
        try {
          const reply = await call(edge, hostname);
          requests += 1;
          if (reply.status !== 200) failures.push(`HTTP ${reply.status}: ${reply.body}`);
        } catch (error) {
          failures.push((error as Error).message);
        }
      }
    })();
    return {
      async stop() {
        running = false;
        await done;
        return { requests, failures };
      },
    };
  }

  it('adopts the running HAProxy after an agent restart, dropping no request, and private services wait for keys meanwhile', async () => {
    const open = await storedService('public');
    const closed = await storedService('private');
    const first = await startEdge(t, { overrides: { keys: { trustForMs: 500 } } });
    const runDir = first.config.haproxy.runDir;
    const { key } = await createAccessKey(t, t.adminToken, { org_id: orgId });
    await keyKnown(first, closed.hostname, key);
    const pid = first.haproxyPid();
    // The port stays HAProxy's whichever agent runs: `first` names it throughout.
    const load = steadyLoad(first, open.hostname);
    let second: Edge | undefined;
    try {
      await eventually(async () => expect((await call(first, open.hostname)).status).toBe(200));
      await first.detach();
      // No agent: HAProxy serves public services on, and stops trusting its keys.
      const refused = await eventually(async () => {
        const reply = await call(first, closed.hostname, { headers: bearer(key) });
        expect(reply.status).toBe(503);
        return reply;
      }, 20_000);
      expect(errorOf(refused).message).toMatch(/Access Keys cannot be checked/);
      expect(refused.headers['retry-after']).toBe('1');

      second = await startEdge(t, {
        overrides: {
          http: { port: first.port, host: '127.0.0.1' },
          keys: { trustForMs: 500 },
          haproxy: { runDir },
        },
      });
      expect(second.haproxyStart).toBe('adopted');
      expect(second.haproxyPid()).toBe(pid);
      // Trust comes back with the new agent's first heartbeat (a loaded machine may delay it
      // past the 500 ms window, so the check waits rather than racing it).
      await eventually(async () =>
        expect((await call(second!, closed.hostname, { headers: bearer(key) })).status).toBe(200),
      );
    } finally {
      const { requests, failures } = await load.stop();
      await second?.close();
      expect(failures).toEqual([]);
      expect(requests).toBeGreaterThan(20);
    }
  });

  it('refuses a revoked key within a second with Redis unreachable', async () => {
    const closed = await storedService('private');
    const edge = await startEdge(t, { overrides: { redis: { url: 'redis://127.0.0.1:1' } } });
    try {
      const { id, key } = await createAccessKey(t, t.adminToken, { project_id: projectId });
      await keyKnown(edge, closed.hostname, key);
      expect((await call(edge, closed.hostname, { headers: bearer(key) })).status).toBe(200);
      await t.http.delete(`/v1/access-keys/${id}`).set(bearer(t.adminToken)).expect(200);
      const revokedAt = Date.now();
      await eventually(async () => {
        expect((await call(edge, closed.hostname, { headers: bearer(key) })).status).toBe(401);
      }, 3000);
      expect(Date.now() - revokedAt).toBeLessThan(1000);
    } finally {
      await edge.close();
    }
  });
});
