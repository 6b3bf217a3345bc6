/**
 * The edge against a real API started in this process by `@slipway/api-testing`, whose
 * plain interfaces keep the edge from compiling against the API's sources.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type TestApi, bearer, uniqueName } from '@slipway/api-testing';
import type { RouteMessage } from '@slipway/contracts';
import { insertRows, serviceRoutes } from '@slipway/db-schema';
import Redis from 'ioredis';
import { type Edge, createEdge } from '../../src';

/**
 * An edge on loopback, free ports, reading the API's database and Redis, with its HAProxy in
 * a run directory of its own (removed when it closes). One HAProxy thread: CI has two cores.
 * HAProxy trusts its keys for the longest time allowed (5 s, not 1 s): the agent runs in the
 * test process, which a loaded machine may pause for a while; tests of the trust window set
 * their own.
 */
export async function startEdge(
  t: TestApi,
  overrides: Parameters<typeof createEdge>[0] = {},
): Promise<Edge> {
  const runDir =
    overrides.overrides?.haproxy?.runDir ?? (await mkdtemp(join(tmpdir(), 'slp-edge-')));
  const edge = await createEdge({
    env: {},
    overrides: {
      http: { port: 0, host: '127.0.0.1' },
      admin: { port: 0 },
      database: { url: t.databaseUrl },
      redis: { url: t.redisUrl },
      auth: { secretKey: t.secretKey },
      log: { level: 'silent' },
      ...overrides.overrides,
      keys: { trustForMs: 5000, ...overrides.overrides?.keys },
      // Edges in one process share a hostname and pid: each writes an activity hash of its own.
      activity: { edgeId: `test-${randomUUID()}`, ...overrides.overrides?.activity },
      haproxy: { threads: 1, ...overrides.overrides?.haproxy, runDir },
    },
  });
  // A test process that ends without closing its edge must not leave HAProxy running.
  const pid = edge.haproxyPid();
  const killOrphan = (): void => {
    if (pid !== undefined && isOurHaproxy(pid, runDir)) process.kill(pid, 'SIGKILL');
  };
  process.once('exit', killOrphan);
  return {
    ...edge,
    async close() {
      process.off('exit', killOrphan);
      await edge.close();
      await rm(runDir, { recursive: true, force: true });
    },
  };
}

/** Whether `pid` is still the HAProxy serving from `runDir` (a pid may have been reused). */
function isOurHaproxy(pid: number, runDir: string): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(runDir);
  } catch {
    return false;
  }
}

/**
 * Waits until `edge` routes `hostname` (its table has it, at `version` or later when given,
 * and so has HAProxy).
 */
/** Stores the service's route in PostgreSQL (as the API's rollout would), not announced. */
export async function storeRoute(
  t: TestApi,
  serviceId: string,
  endpoints: readonly { host: string; port: number }[],
  version: number,
): Promise<void> {
  const db = {
    query: async (sql: string, values?: unknown[]) => ({ rows: await t.query(sql, values) }),
  };
  await insertRows(db, serviceRoutes, [
    { service_id: serviceId, endpoints: [...endpoints], version: String(version) },
  ]);
}

export async function routed(edge: Edge, hostname: string, version = 0): Promise<void> {
  await eventually(() =>
    expect(edge.routes.lookup(hostname)?.version).toBeGreaterThanOrEqual(version),
  );
  await edge.synced();
}

export interface ServiceView {
  id: string;
  hostname: string;
  org_id: string;
  project_id: string;
}

export async function serviceView(t: TestApi, serviceId: string): Promise<ServiceView> {
  const res = await t.http.get(`/v1/services/${serviceId}`).set(bearer(t.adminToken)).expect(200);
  return (res.body as { data: ServiceView }).data;
}

/** POST /v1/access-keys as `token`; returns the key's id and plaintext. */
export async function createAccessKey(
  t: TestApi,
  token: string,
  scope: { org_id?: string; project_id?: string; expires_at?: string },
): Promise<{ id: string; key: string }> {
  const res = await t.http
    .post('/v1/access-keys')
    .set(bearer(token))
    .send({ name: uniqueName('key'), ...scope })
    .expect(200);
  return (res.body as { data: { id: string; key: string } }).data;
}

/** Waits until `edge` accepts a key just created (it reads new keys within milliseconds). */
export async function keyKnown(edge: Edge, hostname: string, key: string): Promise<void> {
  await eventually(async () => {
    const reply = await call(edge, hostname, { headers: bearer(key), path: '/' });
    expect(reply.status).not.toBe(401);
  });
}

/** Publishes a route change on the channel the API uses. */
export async function publishRoute(redisUrl: string, message: RouteMessage): Promise<void> {
  const redis = new Redis(redisUrl, { lazyConnect: true });
  try {
    await redis.connect();
    await redis.publish('slipway:routes', JSON.stringify(message));
  } finally {
    redis.disconnect();
  }
}

/**
 * Polls until `check` passes (route messages and revocations arrive asynchronously). The
 * default deadline is generous: a loaded machine may pause the processes for seconds.
 */
export async function eventually<T>(check: () => T | Promise<T>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
}

export interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** One request to the edge, naming the service by Host (no keep-alive unless asked). */
export function call(
  edge: Edge,
  host: string,
  options: {
    path?: string;
    method?: string;
    headers?: Record<string, string>;
    body?: string | Buffer;
  } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port: edge.port,
        path: options.path ?? '/index.html',
        method: options.method ?? 'GET',
        headers: { Host: host, ...options.headers },
        agent: false,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/** The `{"error": {...}}` body of a reply, asserting its shape. */
export function errorOf(reply: Reply): { code: string; message: string; request_id: string } {
  const parsed = JSON.parse(reply.body) as {
    error?: { code: string; message: string; request_id: string };
  };
  if (!parsed.error || Object.keys(parsed).join() !== 'error') {
    throw new Error(`Expected the error body shape, got ${reply.body}`);
  }
  expect(parsed.error.request_id).toBe(reply.headers['x-request-id']);
  return parsed.error;
}
