import { randomBytes } from 'node:crypto';
import { ErrorCode, type ServiceResource } from '@slipway/contracts';
import type { Test } from 'supertest';
import { type TestApp, bearer } from './test-app';

export interface TestUser {
  id: string;
  email: string;
  token: string;
}

export interface TestTenant {
  user: TestUser;
  orgId: string;
  projectId: string;
}

export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(3).toString('hex')}`;
}

/** A new user created by the bootstrap admin, with their first token. */
export async function createUser(t: TestApp, isAdmin = false): Promise<TestUser> {
  const email = `${uniqueName('user')}@example.com`;
  const res = await t.http
    .post('/v1/users')
    .set(bearer(t.adminToken))
    .send({ email, name: 'Test User', is_admin: isAdmin })
    .expect(200);
  const data = res.body.data as { id: string; token: string };
  return { id: data.id, email, token: data.token };
}

/** A user with an org of their own and a project in it: a separate tenant. */
export async function createTenant(t: TestApp): Promise<TestTenant> {
  const user = await createUser(t);
  const org = await t.http
    .post('/v1/orgs')
    .set(bearer(user.token))
    .send({ name: uniqueName('org') })
    .expect(200);
  const orgId = (org.body.data as { id: string }).id;
  const project = await t.http
    .post('/v1/projects')
    .set(bearer(user.token))
    .send({ org_id: orgId, name: uniqueName('project') })
    .expect(200);
  return { user, orgId, projectId: (project.body.data as { id: string }).id };
}

/** The bootstrap admin's `default` org and project. */
export async function adminDefaults(t: TestApp): Promise<{ orgId: string; projectId: string }> {
  const orgs = await t.http.get('/v1/orgs').set(bearer(t.adminToken)).expect(200);
  const org = (orgs.body.data as { id: string; name: string }[]).find((o) => o.name === 'default');
  if (!org) throw new Error('bootstrap org missing');
  const projects = await t.http
    .get(`/v1/projects?org_id=${org.id}`)
    .set(bearer(t.adminToken))
    .expect(200);
  const project = (projects.body.data as { id: string; name: string }[]).find(
    (p) => p.name === 'default',
  );
  if (!project) throw new Error('bootstrap project missing');
  return { orgId: org.id, projectId: project.id };
}

export interface NewService {
  /** Whose token creates it; the bootstrap admin's by default. */
  readonly token?: string;
  /** The admin's `default` project unless given. */
  readonly projectId?: string;
  /** The name's prefix; a random suffix keeps names unique. */
  readonly prefix?: string;
  /** More fields of the request. */
  readonly body?: Record<string, unknown>;
}

/** POST /v1/services, expecting 200: the created service. */
export async function createService(
  t: TestApp,
  options: NewService = {},
): Promise<ServiceResource> {
  const projectId = options.projectId ?? (await adminDefaults(t)).projectId;
  const res = await t.http
    .post('/v1/services')
    .set(bearer(options.token ?? t.adminToken))
    .send({ name: uniqueName(options.prefix ?? 'svc'), project_id: projectId, ...options.body })
    .expect(200);
  return (res.body as { data: ServiceResource }).data;
}

/**
 * A service-scoped GET answers 404 for a service that does not exist and, alike, for one the
 * caller cannot see: nothing tells the two apart.
 */
export async function expectServiceNotFound(
  t: TestApp,
  pathOf: (serviceId: string) => string,
  serviceId: string,
  outsiderToken: string,
): Promise<void> {
  const unknown = await t.http
    .get(pathOf('00000000-0000-4000-8000-000000000000'))
    .set(bearer(t.adminToken))
    .expect(404);
  expectError(unknown.body, ErrorCode.NotFound);
  const foreign = await t.http.get(pathOf(serviceId)).set(bearer(outsiderToken)).expect(404);
  expectError(foreign.body, ErrorCode.NotFound);
}

/** Asserts the one error body shape and returns it. */
export function expectError(
  body: unknown,
  code: string,
): { code: string; message: string; request_id: string } {
  const error = (body as { error?: { code: string; message: string; request_id: string } }).error;
  if (!error || typeof error.message !== 'string' || typeof error.request_id !== 'string') {
    throw new Error(`Expected the error body shape, got ${JSON.stringify(body)}`);
  }
  if (error.code !== code)
    throw new Error(`Expected error code ${code}, got ${error.code}: ${error.message}`);
  if (Object.keys(body as object).join() !== 'error')
    throw new Error('Error body has extra top-level keys');
  return error;
}

/** POST /v1/access-keys, with an Idempotency-Key when one is given. */
export function postAccessKey(
  t: TestApp,
  token: string,
  body: object,
  idempotencyKey?: string,
): Test {
  const req = t.http.post('/v1/access-keys').set(bearer(token));
  if (idempotencyKey !== undefined) void req.set('Idempotency-Key', idempotencyKey);
  return req.send(body);
}
