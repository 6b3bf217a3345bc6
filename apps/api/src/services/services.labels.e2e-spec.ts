import { randomUUID } from 'node:crypto';
import { ErrorCode, type ServiceResource } from '@slipway/contracts';
import {
  createService,
  createTenant,
  expectError,
  type TestTenant,
  uniqueName,
} from '../../test/support/fixtures';
import { BAD_LABEL_FILTERS, BAD_LABELS, MAX_LABELS_BODY } from '../../test/support/labels';
import { bearer, startTestApp, type TestApp } from '../../test/support/test-app';

const STACK = 'slipway.dev/stack';

describe('services: labels and lists by org', () => {
  let t: TestApp;
  let a: TestTenant;
  let b: TestTenant;

  beforeAll(async () => {
    t = await startTestApp();
    a = await createTenant(t);
    b = await createTenant(t);
  });
  afterAll(async () => {
    await t.close();
  });

  const newService = (tenant: TestTenant, body: Record<string, unknown> = {}) =>
    createService(t, { token: tenant.user.token, projectId: tenant.projectId, body });
  async function secondProject(tenant: TestTenant): Promise<string> {
    const res = await t.http
      .post('/v1/projects')
      .set(bearer(tenant.user.token))
      .send({ org_id: tenant.orgId, name: uniqueName('project') })
      .expect(200);
    return (res.body as { data: { id: string } }).data.id;
  }
  async function list(tenant: TestTenant, query: string): Promise<ServiceResource[]> {
    const res = await t.http
      .get(`/v1/services?${query}`)
      .set(bearer(tenant.user.token))
      .expect(200);
    return (res.body as { data: ServiceResource[] }).data;
  }
  const ids = (services: ServiceResource[]): string[] => services.map((s) => s.id).sort();

  describe('labels on create and read', () => {
    it('stores labels given at creation, answering them on GET and in lists', async () => {
      const labels = { [STACK]: 'prod', tier: 'web', empty: '' };
      const service = await newService(a, { labels });
      expect(service.labels).toEqual(labels);
      const got = await t.http
        .get(`/v1/services/${service.id}`)
        .set(bearer(a.user.token))
        .expect(200);
      expect((got.body as { data: ServiceResource }).data).toEqual(service);
      expect(await list(a, `project_id=${a.projectId}&per_page=100`)).toContainEqual(service);
    });

    it('answers {} for a service created without labels, and takes 32', async () => {
      expect((await newService(a)).labels).toEqual({});
      expect((await newService(a, { labels: MAX_LABELS_BODY })).labels).toEqual(MAX_LABELS_BODY);
    });

    it.each(BAD_LABELS)(
      'refuses %s at creation, naming the key',
      async (_case, labels, message) => {
        const res = await t.http
          .post('/v1/services')
          .set(bearer(a.user.token))
          .send({ name: uniqueName('svc'), project_id: a.projectId, labels })
          .expect(400);
        expect(expectError(res.body, ErrorCode.ValidationFailed).message).toMatch(message);
      },
    );
  });

  describe('PUT /v1/services/{id} with labels', () => {
    it('replaces the whole map, leaves it when absent, and {} removes them all', async () => {
      const service = await newService(a, { labels: { [STACK]: 'prod', tier: 'web' } });
      const put = (body: object) =>
        t.http.put(`/v1/services/${service.id}`).set(bearer(a.user.token)).send(body).expect(200);
      const replaced = await put({ labels: { [STACK]: 'staging' } });
      expect((replaced.body as { data: ServiceResource }).data.labels).toEqual({
        [STACK]: 'staging',
      });
      const untouched = await put({ description: 'labels stay' });
      expect((untouched.body as { data: ServiceResource }).data).toMatchObject({
        description: 'labels stay',
        labels: { [STACK]: 'staging' },
      });
      const cleared = await put({ labels: {} });
      expect((cleared.body as { data: ServiceResource }).data.labels).toEqual({});
      const got = await t.http
        .get(`/v1/services/${service.id}`)
        .set(bearer(a.user.token))
        .expect(200);
      expect((got.body as { data: ServiceResource }).data.labels).toEqual({});
    });

    it.each(BAD_LABELS)('refuses %s, changing nothing', async (_case, labels, message) => {
      const service = await newService(a, { labels: { tier: 'web' } });
      const res = await t.http
        .put(`/v1/services/${service.id}`)
        .set(bearer(a.user.token))
        .send({ labels })
        .expect(400);
      expect(expectError(res.body, ErrorCode.ValidationFailed).message).toMatch(message);
      const got = await t.http
        .get(`/v1/services/${service.id}`)
        .set(bearer(a.user.token))
        .expect(200);
      expect((got.body as { data: ServiceResource }).data.labels).toEqual({ tier: 'web' });
    });

    it("answers 404 for another org's service, leaving its labels", async () => {
      const theirs = await newService(b, { labels: { tier: 'web' } });
      const res = await t.http
        .put(`/v1/services/${theirs.id}`)
        .set(bearer(a.user.token))
        .send({ labels: {} })
        .expect(404);
      expectError(res.body, ErrorCode.NotFound);
      const got = await t.http
        .get(`/v1/services/${theirs.id}`)
        .set(bearer(b.user.token))
        .expect(200);
      expect((got.body as { data: ServiceResource }).data.labels).toEqual({ tier: 'web' });
    });
  });

  describe('GET /v1/services by org_id and label', () => {
    it("lists every project's services of an org with org_id, and no other org's", async () => {
      const tenant = await createTenant(t);
      const other = await secondProject(tenant);
      const first = await newService(tenant);
      const second = await createService(t, { token: tenant.user.token, projectId: other });
      await newService(b);
      const services = await list(tenant, `org_id=${tenant.orgId}`);
      expect(ids(services)).toEqual(ids([first, second]));
      const scoped = await list(tenant, `org_id=${tenant.orgId}&project_id=${other}`);
      expect(ids(scoped)).toEqual([second.id]);
    });

    it('filters by label: one, two (both must match), or none matching', async () => {
      const tenant = await createTenant(t);
      const prodWeb = await newService(tenant, { labels: { [STACK]: 'prod', tier: 'web' } });
      const prodDb = await newService(tenant, { labels: { [STACK]: 'prod', tier: 'db' } });
      await newService(tenant, { labels: { [STACK]: 'staging', tier: 'web' } });
      const byOrg = `org_id=${tenant.orgId}`;
      expect(ids(await list(tenant, `${byOrg}&label=${STACK}=prod`))).toEqual(
        ids([prodWeb, prodDb]),
      );
      expect(
        ids(
          await list(tenant, `project_id=${tenant.projectId}&label=${STACK}=prod&label=tier=web`),
        ),
      ).toEqual([prodWeb.id]);
      expect(await list(tenant, `${byOrg}&label=${STACK}=dev`)).toEqual([]);
      expect(await list(tenant, `${byOrg}&label=tier=web&label=tier=db`)).toEqual([]);
      expect(ids(await list(tenant, `${byOrg}&label=tier=db&status=created`))).toEqual([prodDb.id]);
    });

    it("answers 404, not 403, for another org's org_id and for one that does not exist", async () => {
      for (const orgId of [b.orgId, randomUUID()]) {
        const res = await t.http
          .get(`/v1/services?org_id=${orgId}`)
          .set(bearer(a.user.token))
          .expect(404);
        expect(expectError(res.body, ErrorCode.NotFound).message).toBe(
          `Organization ${orgId} was not found`,
        );
      }
    });

    it("answers 404 for a project outside org_id, even one of the caller's", async () => {
      const res = await t.http
        .get(`/v1/services?org_id=${b.orgId}&project_id=${a.projectId}`)
        .set(bearer(a.user.token))
        .expect(404);
      expect(expectError(res.body, ErrorCode.NotFound).message).toBe(
        `Project ${a.projectId} was not found`,
      );
    });

    it.each([
      ['neither project_id nor org_id', '', /^project_id: is required unless org_id is given$/],
      ['a malformed org_id', 'org_id=acme', /^org_id: must be a UUID$/],
      ...BAD_LABEL_FILTERS.map(([what, query, message]): [string, string, RegExp] => [
        `a label filter with ${what}`,
        `project_id=${randomUUID()}&${query}`,
        message,
      ]),
    ])('answers 400 for %s', async (_case, query, message) => {
      const res = await t.http.get(`/v1/services?${query}`).set(bearer(a.user.token)).expect(400);
      expect(expectError(res.body, ErrorCode.ValidationFailed).message).toMatch(message);
    });

    it('needs credentials with org_id too', async () => {
      const call = t.http.get(`/v1/services?org_id=${a.orgId}`);
      expectError((await call.expect(401)).body, ErrorCode.Unauthorized);
      const bad = t.http
        .get(`/v1/services?org_id=${a.orgId}`)
        .set(bearer('slp_pat_not_a_real_token'));
      expectError((await bad.expect(401)).body, ErrorCode.Unauthorized);
    });
  });
});
