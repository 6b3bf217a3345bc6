/**
 * The edge against a real API started in this process from the API's test support. That
 * support is loaded untyped, on purpose: the edge compiles against `@slipway/contracts`
 * only, never against the API's sources.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RouteMessage } from '@slipway/contracts';
import Redis from 'ioredis';
import { type Edge, createEdge } from '../../src';

export interface TestAppLike {
  readonly adminToken: string;
  readonly config: {
    readonly database: { readonly url: string };
    readonly redis: { readonly url: string };
    readonly secretKey: string;
  };
  readonly http: SuperAgentLike;
  readonly dataSource: { query<T>(sql: string, params?: unknown[]): Promise<T> };
  close(): Promise<void>;
}

/** The few supertest calls the specs make. */
export interface SuperAgentLike {
  get(path: string): TestLike;
  post(path: string): TestLike;
  put(path: string): TestLike;
  delete(path: string): TestLike;
}
export interface TestLike extends PromiseLike<{ status: number; body: unknown }> {
  set(headers: Record<string, string>): TestLike;
  send(body: object): TestLike;
  expect(status: number): TestLike;
}

export interface Endpoint {
  readonly host: string;
  readonly port: number;
}

export interface DockerStackLike {
  readonly t: TestAppLike;
  readonly siteImage: string;
  createService(prefix: string): Promise<string>;
  waitForDeployment(serviceId: string, deploymentId: string): Promise<{ status: string }>;
  waitForOperation(serviceId: string, operationId: string): Promise<{ status: string }>;
  route(serviceId: string): Promise<Endpoint[]>;
  close(): Promise<void>;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const dockerSupport = require('../../../api/test/support/docker-stack') as {
  startDockerStack(options?: { builder?: boolean }): Promise<DockerStackLike>;
  SITE_TEXT: string;
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const appSupport = require('../../../api/test/support/test-app') as {
  startTestApp(options?: { overrides?: Record<string, unknown> }): Promise<TestAppLike>;
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const fixtures = require('../../../api/test/support/fixtures') as {
  createTenant(t: TestAppLike): Promise<{
    user: { token: string };
    orgId: string;
    projectId: string;
  }>;
  adminDefaults(t: TestAppLike): Promise<{ orgId: string; projectId: string }>;
  createService(
    t: TestAppLike,
    options?: { projectId?: string; prefix?: string; body?: Record<string, unknown> },
  ): Promise<{ id: string; hostname: string }>;
  uniqueName(prefix: string): string;
};

export const SITE_TEXT = dockerSupport.SITE_TEXT;
export const startDockerStack = dockerSupport.startDockerStack;
export const startTestApp = appSupport.startTestApp;
export const { createTenant, adminDefaults, createService, uniqueName } = fixtures;

export function bearer(token: string): Record<string, string> {
  return { Authorization: `Bearer ${token}` };
}

/**
 * An edge on loopback, free ports, reading the API's database and Redis, with its HAProxy in
 * a run directory of its own (removed when it closes). One HAProxy thread: CI has two cores.
 */
export async function startEdge(
  t: TestAppLike,
  overrides: Parameters<typeof createEdge>[0] = {},
): Promise<Edge> {
  const runDir =
    overrides.overrides?.haproxy?.runDir ?? (await mkdtemp(join(tmpdir(), 'slp-edge-')));
  const edge = await createEdge({
    env: {},
    overrides: {
      http: { port: 0, host: '127.0.0.1' },
      admin: { port: 0 },
      database: { url: t.config.database.url },
      redis: { url: t.config.redis.url },
      auth: { secretKey: t.config.secretKey },
      log: { level: 'silent' },
      ...overrides.overrides,
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

export async function serviceView(t: TestAppLike, serviceId: string): Promise<ServiceView> {
  const res = await t.http.get(`/v1/services/${serviceId}`).set(bearer(t.adminToken)).expect(200);
  return (res.body as { data: ServiceView }).data;
}

/** POST /v1/access-keys as `token`; returns the key's id and plaintext. */
export async function createAccessKey(
  t: TestAppLike,
  token: string,
  scope: { org_id?: string; project_id?: string },
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

/** Polls until `check` passes (route messages and revocations arrive asynchronously). */
export async function eventually<T>(check: () => T | Promise<T>, timeoutMs = 5000): Promise<T> {
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
