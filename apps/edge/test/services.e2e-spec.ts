/**
 * The edge in front of real containers (docker runtime): services reached by Host, every
 * Access Key case, a paused service, and a rolling redeploy under load through the edge.
 */
import {
  type DockerStack,
  SITE_TEXT,
  adminDefaults,
  bearer,
  createTenant,
  startDockerStack,
  uniqueName,
} from '@slipway/api-testing';
import type { Edge } from '../src';
import {
  call,
  createAccessKey,
  errorOf,
  eventually,
  keyKnown,
  serviceView,
  startEdge,
  type ServiceView,
} from './support/stack';

jest.setTimeout(180_000);

describe('the edge in front of deployed services', () => {
  let stack: DockerStack;
  let edge: Edge;
  let orgId: string;
  let projectId: string;
  let publicService: ServiceView;
  let privateService: ServiceView;

  const admin = () => bearer(stack.t.adminToken);

  /** A service running the site image; public when asked, private otherwise (the default). */
  async function deployed(prefix: string, access: 'public' | 'private'): Promise<ServiceView> {
    const serviceId = await stack.createService(prefix);
    if (access === 'public') {
      await stack.t.http
        .put(`/v1/services/${serviceId}`)
        .set(admin())
        .send({ access_control: { access_type: 'public' } })
        .expect(200);
    }
    const res = await stack.t.http
      .post(`/v1/services/${serviceId}/deploy`)
      .set(admin())
      .send({ image: stack.siteImage, health_check_path: '/index.html' })
      .expect(200);
    const deploymentId = (res.body as { data: { id: string } }).data.id;
    expect(await stack.waitForDeployment(serviceId, deploymentId)).toMatchObject({
      status: 'succeeded',
    });
    return serviceView(stack.t, serviceId);
  }

  /** Waits until the edge has the service's route (the API published it on deploy). */
  async function reachable(service: ServiceView, headers: Record<string, string> = {}) {
    return eventually(async () => {
      const reply = await call(edge, service.hostname, { headers });
      expect(reply.status).toBe(200);
      return reply;
    });
  }

  beforeAll(async () => {
    stack = await startDockerStack();
    edge = await startEdge(stack.t);
    ({ orgId, projectId } = await adminDefaults(stack.t));
    // One after the other: the docker runtime creates its network on the first deploy.
    publicService = await deployed('public', 'public');
    privateService = await deployed('private', 'private');
  });
  afterAll(async () => {
    await edge?.close();
    await stack?.close();
  });

  describe('routing by Host', () => {
    it('serves a public service with no credentials', async () => {
      const reply = await reachable(publicService);
      expect(reply.body).toBe(`${SITE_TEXT}\n`);
      expect(reply.headers['x-request-id']).toEqual(expect.any(String));
    });

    it('accepts the Host with a port and in any case', async () => {
      await reachable(publicService);
      const reply = await call(edge, `${publicService.hostname.toUpperCase()}:8000`);
      expect(reply).toMatchObject({ status: 200, body: `${SITE_TEXT}\n` });
    });

    it('answers 404 in the error shape for a host no service has', async () => {
      const reply = await call(edge, 'nobody-000000.localhost', {
        headers: { 'X-Request-Id': 'trace-me-1' },
      });
      expect(reply.status).toBe(404);
      expect(errorOf(reply)).toMatchObject({ code: 'not_found', request_id: 'trace-me-1' });
    });

    it('loads routes from the database at start: a second edge routes without any message', async () => {
      await reachable(publicService);
      const second = await startEdge(stack.t);
      try {
        const reply = await call(second, publicService.hostname);
        expect(reply).toMatchObject({ status: 200, body: `${SITE_TEXT}\n` });
      } finally {
        await second.close();
      }
    });
  });

  describe('Access Keys for a private service', () => {
    it('refuses a request without a key: 401', async () => {
      const reply = await call(edge, privateService.hostname);
      expect(reply.status).toBe(401);
      expect(reply.headers['www-authenticate']).toBe('Bearer');
      expect(errorOf(reply).code).toBe('unauthorized');
    });

    it.each([
      ['a Basic credential', 'Basic dXNlcjpwYXNz'],
      ['a Bearer that is not an Access Key', 'Bearer not-a-key'],
      ['an empty Bearer', 'Bearer '],
      ['an unknown Access Key', `Bearer slp_ak_${'x'.repeat(40)}`],
    ])('refuses %s: 401', async (_case, authorization) => {
      const reply = await call(edge, privateService.hostname, {
        headers: { Authorization: authorization },
      });
      expect(reply.status).toBe(401);
      expect(errorOf(reply).code).toBe('unauthorized');
    });

    it('refuses a Personal Access Token: only Access Keys open services', async () => {
      const reply = await call(edge, privateService.hostname, { headers: admin() });
      expect(reply.status).toBe(401);
    });

    it("accepts an org-scoped key of the service's org", async () => {
      const { key } = await createAccessKey(stack.t, stack.t.adminToken, { org_id: orgId });
      const reply = await reachable(privateService, bearer(key));
      expect(reply.body).toBe(`${SITE_TEXT}\n`);
    });

    it("accepts a project-scoped key of the service's project", async () => {
      const { key } = await createAccessKey(stack.t, stack.t.adminToken, {
        project_id: projectId,
      });
      await reachable(privateService, bearer(key));
    });

    it('refuses a project-scoped key of another project in the same org: 403, saying nothing more', async () => {
      const other = await stack.t.http
        .post('/v1/projects')
        .set(admin())
        .send({ org_id: orgId, name: uniqueName('other') })
        .expect(200);
      const otherProject = (other.body as { data: { id: string } }).data.id;
      const { key } = await createAccessKey(stack.t, stack.t.adminToken, {
        project_id: otherProject,
      });
      await keyKnown(edge, privateService.hostname, key);
      const reply = await call(edge, privateService.hostname, { headers: bearer(key) });
      expect(reply.status).toBe(403);
      const error = errorOf(reply);
      expect(error.code).toBe('forbidden');
      expect(error.message).not.toMatch(/project|org|scope/i);
    });

    it("refuses another org's keys, org- and project-scoped: 403", async () => {
      const tenant = await createTenant(stack.t);
      const orgKey = await createAccessKey(stack.t, tenant.user.token, { org_id: tenant.orgId });
      const projectKey = await createAccessKey(stack.t, tenant.user.token, {
        project_id: tenant.projectId,
      });
      for (const { key } of [orgKey, projectKey]) {
        await keyKnown(edge, privateService.hostname, key);
        const reply = await call(edge, privateService.hostname, { headers: bearer(key) });
        expect(reply.status).toBe(403);
        expect(errorOf(reply).code).toBe('forbidden');
      }
    });

    it('stops accepting a key at its expiry, with no message needed', async () => {
      const expiresAt = Date.now() + 4000;
      const { key } = await createAccessKey(stack.t, stack.t.adminToken, {
        org_id: orgId,
        expires_at: new Date(expiresAt).toISOString(),
      });
      await reachable(privateService, bearer(key));
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, expiresAt - Date.now())));
      const reply = await call(edge, privateService.hostname, { headers: bearer(key) });
      expect(reply.status).toBe(401);
      expect(errorOf(reply).code).toBe('unauthorized');
    });

    it('stops accepting a revoked key within one second', async () => {
      const { id, key } = await createAccessKey(stack.t, stack.t.adminToken, { org_id: orgId });
      await reachable(privateService, bearer(key));
      // Cached now: the next call is answered without the database.
      expect((await call(edge, privateService.hostname, { headers: bearer(key) })).status).toBe(
        200,
      );
      await stack.t.http.delete(`/v1/access-keys/${id}`).set(admin()).expect(200);
      const revokedAt = Date.now();
      const reply = await eventually(async () => {
        const r = await call(edge, privateService.hostname, { headers: bearer(key) });
        expect(r.status).toBe(401);
        return r;
      }, 2000);
      expect(Date.now() - revokedAt).toBeLessThan(1000);
      expect(errorOf(reply).code).toBe('unauthorized');
    });
  });

  it('closes a public service to callers without a key as soon as it is made private', async () => {
    const service = await deployed('switch', 'public');
    await reachable(service);
    await stack.t.http
      .put(`/v1/services/${service.id}`)
      .set(admin())
      .send({ access_control: { access_type: 'private' } })
      .expect(200);
    // Well within the 30 s resync: the API publishes the change.
    const closed = await eventually(async () => {
      const reply = await call(edge, service.hostname);
      expect(reply.status).toBe(401);
      return reply;
    });
    expect(errorOf(closed).code).toBe('unauthorized');
  });

  it('answers 503 saying the service is paused once it is scaled to 0', async () => {
    const service = await deployed('paused', 'public');
    await reachable(service);
    const scale = await stack.t.http
      .post(`/v1/services/${service.id}/scale`)
      .set(admin())
      .send({ instances: 0 })
      .expect(202);
    await stack.waitForOperation(service.id, (scale.body as { data: { id: string } }).data.id);
    const reply = await eventually(async () => {
      const r = await call(edge, service.hostname);
      expect(r.status).toBe(503);
      return r;
    });
    expect(reply.headers['retry-after']).toMatch(/^\d+$/);
    const error = errorOf(reply);
    expect(error.code).toBe('service_unavailable');
    expect(error.message).toMatch(/paused/);
    // The same after a full reload from the database.
    await edge.resync();
    expect((await call(edge, service.hostname)).status).toBe(503);
  });

  it('answers 503 "deleted" from the moment a delete starts, and after it', async () => {
    const service = await deployed('deleted', 'public');
    await reachable(service);
    const deletion = stack.t.http.delete(`/v1/services/${service.id}`).set(admin()).then();
    const during = await eventually(async () => {
      const r = await call(edge, service.hostname);
      expect(r.status).toBe(503);
      return r;
    });
    expect(errorOf(during)).toMatchObject({
      code: 'service_unavailable',
      message: expect.stringMatching(/was deleted/),
    });
    // Nothing will serve here again: no Retry-After.
    expect(during.headers['retry-after']).toBeUndefined();
    expect((await deletion).status).toBe(200);
    expect((await call(edge, service.hostname)).status).toBe(503);
    // A full reload from the database, which no longer has it, keeps the answer.
    await edge.resync();
    const after = await call(edge, service.hostname);
    expect(after.status).toBe(503);
    expect(errorOf(after).message).toMatch(/was deleted/);
  });

  it('loses no request through the edge while a redeploy rolls out', async () => {
    const service = await deployed('rolling', 'public');
    await reachable(service);
    let running = true;
    let requests = 0;
    const failures: string[] = [];
    const loop = (async () => {
      while (running) {
        try {
          const reply = await call(edge, service.hostname);
          requests += 1;
          if (reply.status !== 200) failures.push(`HTTP ${reply.status}: ${reply.body}`);
        } catch (error) {
          failures.push((error as Error).message);
        }
      }
    })();
    try {
      const res = await stack.t.http
        .post(`/v1/services/${service.id}/redeploy`)
        .set(admin())
        .expect(200);
      const deploymentId = (res.body as { data: { id: string } }).data.id;
      expect((await stack.waitForDeployment(service.id, deploymentId)).status).toBe('succeeded');
      // Keep going a moment after the switch: the old instance drains and stops.
      await new Promise((resolve) => setTimeout(resolve, 2000));
    } finally {
      running = false;
      await loop;
    }
    expect(failures).toEqual([]);
    expect(requests).toBeGreaterThan(20);
    const endpoints = await stack.route(service.id);
    expect(endpoints).toHaveLength(1);
  });
});
