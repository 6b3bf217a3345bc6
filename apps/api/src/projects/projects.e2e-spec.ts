import { randomUUID } from 'node:crypto';
import {
  createTenant,
  createUser,
  expectError,
  type TestUser,
  uniqueName,
} from '../../test/support/fixtures';
import { describeCredentialChecks, withToken } from '../../test/support/credentials';
import { bearer, startTestApp, type TestApp } from '../../test/support/test-app';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('projects', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  async function createOrg(user: TestUser): Promise<string> {
    const res = await t.http
      .post('/v1/orgs')
      .set(bearer(user.token))
      .send({ name: uniqueName('org') })
      .expect(200);
    return res.body.data.id as string;
  }

  async function createProject(user: TestUser, orgId: string, name: string): Promise<string> {
    const res = await t.http
      .post('/v1/projects')
      .set(bearer(user.token))
      .send({ org_id: orgId, name })
      .expect(200);
    return res.body.data.id as string;
  }

  const ids = (body: unknown): string[] =>
    (body as { data: { id: string }[] }).data.map((p) => p.id);

  describe('POST /v1/projects', () => {
    it('creates a project (200) in one of the caller’s orgs', async () => {
      const user = await createUser(t);
      const orgId = await createOrg(user);
      const res = await t.http
        .post('/v1/projects')
        .set(bearer(user.token))
        .send({ org_id: orgId, name: 'web', description: 'The website' })
        .expect(200);
      expect(res.body).toEqual({
        data: {
          id: expect.stringMatching(UUID),
          org_id: orgId,
          name: 'web',
          description: 'The website',
          labels: {},
          created_at: expect.any(String),
          updated_at: expect.any(String),
        },
      });
      expect(res.body.data.created_at).toMatch(ISO);
    });

    it('lets a plain member of the org create one; description defaults to null', async () => {
      const owner = await createUser(t);
      const member = await createUser(t);
      const orgId = await createOrg(owner);
      await t.http
        .post(`/v1/orgs/${orgId}/members`)
        .set(bearer(owner.token))
        .send({ email: member.email })
        .expect(200);
      const res = await t.http
        .post('/v1/projects')
        .set(bearer(member.token))
        .send({ org_id: orgId, name: 'api' })
        .expect(200);
      expect(res.body.data).toMatchObject({ org_id: orgId, name: 'api', description: null });
    });

    it('answers 409 for a name already used in the org, but allows it in another org', async () => {
      const tenant = await createTenant(t);
      await createProject(tenant.user, tenant.orgId, 'web');
      const res = await t.http
        .post('/v1/projects')
        .set(bearer(tenant.user.token))
        .send({ org_id: tenant.orgId, name: 'web' })
        .expect(409);
      expect(expectError(res.body, 'already_exists').message).toBe(
        "A project named 'web' already exists in this organization",
      );
      const otherOrg = await createOrg(tenant.user);
      await createProject(tenant.user, otherOrg, 'web');
    });

    it('answers 409 to the loser of two concurrent creates with one name', async () => {
      const tenant = await createTenant(t);
      const send = () =>
        t.http
          .post('/v1/projects')
          .set(bearer(tenant.user.token))
          .send({ org_id: tenant.orgId, name: 'race' });
      const results = await Promise.all([send(), send()]);
      expect(results.map((res) => res.status).sort()).toEqual([200, 409]);
      expectError(results.find((res) => res.status === 409)?.body, 'already_exists');
    });

    it("answers 404 for another org's id and for one that does not exist", async () => {
      const tenant = await createTenant(t);
      const other = await createTenant(t);
      for (const orgId of [other.orgId, randomUUID()]) {
        const res = await t.http
          .post('/v1/projects')
          .set(bearer(tenant.user.token))
          .send({ org_id: orgId, name: 'intruder' })
          .expect(404);
        expect(expectError(res.body, 'not_found').message).toBe(
          `Organization ${orgId} was not found`,
        );
      }
      const theirs = await t.http
        .get(`/v1/projects?org_id=${other.orgId}`)
        .set(bearer(other.user.token))
        .expect(200);
      expect(theirs.body.pagination.total).toBe(1);
    });

    it.each([
      ['a missing org_id', { name: 'x' }, 'org_id: must be a UUID'],
      ['an org_id that is not a UUID', { org_id: 'acme', name: 'x' }, 'org_id: must be a UUID'],
      ['a missing name', { org_id: randomUUID() }, 'name: must be a string'],
      ['an empty name', { org_id: randomUUID(), name: '' }, 'name: must not be empty'],
      ['a name that is a number', { org_id: randomUUID(), name: 1 }, 'name: must be a string'],
      [
        'a name of 101 characters',
        { org_id: randomUUID(), name: 'n'.repeat(101) },
        'name: must be at most 100 characters',
      ],
      [
        'a description of 501 characters',
        { org_id: randomUUID(), name: 'x', description: 'd'.repeat(501) },
        'description: must be at most 500 characters',
      ],
      [
        'an unknown field',
        { org_id: randomUUID(), name: 'x', region: 'eu' },
        'region: is not a known field',
      ],
    ])('answers 400 for %s, naming the field', async (_case, body, message) => {
      const res = await t.http
        .post('/v1/projects')
        .set(bearer(t.adminToken))
        .send(body)
        .expect(400);
      expect(expectError(res.body, 'validation_failed').message).toBe(message);
    });
  });

  describe('GET /v1/projects', () => {
    it('lists the projects of one org with org_id', async () => {
      const tenant = await createTenant(t);
      const secondOrg = await createOrg(tenant.user);
      await createProject(tenant.user, secondOrg, 'elsewhere');
      const res = await t.http
        .get(`/v1/projects?org_id=${tenant.orgId}`)
        .set(bearer(tenant.user.token))
        .expect(200);
      expect(res.body).toEqual({
        data: [expect.objectContaining({ id: tenant.projectId, org_id: tenant.orgId })],
        pagination: { page: 1, per_page: 20, total: 1, total_pages: 1 },
      });
    });

    it("lists every project of the caller's orgs without org_id, and no one else's", async () => {
      const tenant = await createTenant(t);
      const other = await createTenant(t);
      const secondOrg = await createOrg(tenant.user);
      const second = await createProject(tenant.user, secondOrg, 'second');
      const res = await t.http.get('/v1/projects').set(bearer(tenant.user.token)).expect(200);
      expect(ids(res.body)).toEqual([tenant.projectId, second]);
      expect(res.body.pagination).toEqual({ page: 1, per_page: 20, total: 2, total_pages: 1 });
      expect(JSON.stringify(res.body)).not.toContain(other.projectId);
    });

    it('answers an empty list to a user in no org', async () => {
      const user = await createUser(t);
      const res = await t.http.get('/v1/projects').set(bearer(user.token)).expect(200);
      expect(res.body).toEqual({
        data: [],
        pagination: { page: 1, per_page: 20, total: 0, total_pages: 1 },
      });
    });

    it('paginates with page, per_page and the page_size alias', async () => {
      const tenant = await createTenant(t);
      const created = [tenant.projectId];
      for (const name of ['b', 'c', 'd', 'e']) {
        created.push(await createProject(tenant.user, tenant.orgId, name));
      }
      const query = `org_id=${tenant.orgId}`;
      const second = await t.http
        .get(`/v1/projects?${query}&page=2&per_page=2`)
        .set(bearer(tenant.user.token))
        .expect(200);
      expect(ids(second.body)).toEqual(created.slice(2, 4));
      expect(second.body.pagination).toEqual({ page: 2, per_page: 2, total: 5, total_pages: 3 });

      const alias = await t.http
        .get(`/v1/projects?page=2&page_size=3`)
        .set(bearer(tenant.user.token))
        .expect(200);
      expect(ids(alias.body)).toEqual(created.slice(3));
      expect(alias.body.pagination).toEqual({ page: 2, per_page: 3, total: 5, total_pages: 2 });
    });

    it("answers 404, not 403, for another org's org_id and for one that does not exist", async () => {
      const tenant = await createTenant(t);
      const other = await createTenant(t);
      for (const orgId of [other.orgId, randomUUID()]) {
        const res = await t.http
          .get(`/v1/projects?org_id=${orgId}`)
          .set(bearer(tenant.user.token))
          .expect(404);
        expect(expectError(res.body, 'not_found').message).toBe(
          `Organization ${orgId} was not found`,
        );
      }
    });

    it.each([
      ['org_id=acme', 'org_id: must be a UUID'],
      ['per_page=101', 'per_page: must be at most 100'],
      ['page_size=101', 'page_size: must be at most 100'],
      ['page=0', 'page: must be at least 1'],
      ['per_page=ten', 'per_page: must be an integer'],
      ['project_id=x', 'project_id: is not a known field'],
    ])('answers 400 for ?%s, naming the parameter', async (query, message) => {
      const res = await t.http.get(`/v1/projects?${query}`).set(bearer(t.adminToken)).expect(400);
      expect(expectError(res.body, 'validation_failed').message).toBe(message);
    });
  });

  describe('GET /v1/projects/{id}', () => {
    it('answers the project, with or without a matching org_id', async () => {
      const tenant = await createTenant(t);
      const plain = await t.http
        .get(`/v1/projects/${tenant.projectId}`)
        .set(bearer(tenant.user.token))
        .expect(200);
      expect(plain.body).toEqual({
        data: {
          id: tenant.projectId,
          org_id: tenant.orgId,
          name: expect.stringMatching(/^project-/),
          description: null,
          labels: {},
          created_at: expect.any(String),
          updated_at: expect.any(String),
        },
      });
      const scoped = await t.http
        .get(`/v1/projects/${tenant.projectId}?org_id=${tenant.orgId}`)
        .set(bearer(tenant.user.token))
        .expect(200);
      expect(scoped.body).toEqual(plain.body);
    });

    it('answers 404 when org_id names another of the caller’s orgs', async () => {
      const tenant = await createTenant(t);
      const secondOrg = await createOrg(tenant.user);
      const res = await t.http
        .get(`/v1/projects/${tenant.projectId}?org_id=${secondOrg}`)
        .set(bearer(tenant.user.token))
        .expect(404);
      expect(expectError(res.body, 'not_found').message).toBe(
        `Project ${tenant.projectId} was not found`,
      );
    });

    it("answers 404, not 403, for another org's project, even naming its org", async () => {
      const tenant = await createTenant(t);
      const other = await createTenant(t);
      for (const query of ['', `?org_id=${other.orgId}`]) {
        const res = await t.http
          .get(`/v1/projects/${other.projectId}${query}`)
          .set(bearer(tenant.user.token))
          .expect(404);
        expect(expectError(res.body, 'not_found').message).toBe(
          `Project ${other.projectId} was not found`,
        );
      }
    });

    it('answers 404 for an id that does not exist', async () => {
      const id = randomUUID();
      const res = await t.http.get(`/v1/projects/${id}`).set(bearer(t.adminToken)).expect(404);
      expect(expectError(res.body, 'not_found').message).toBe(`Project ${id} was not found`);
    });

    it.each([
      ['not-a-uuid', /^id: must be a UUID/],
      [`${randomUUID()}?org_id=acme`, /^org_id: must be a UUID$/],
      [`${randomUUID()}?page=1`, /^page: is not a known field$/],
    ])('answers 400 for /v1/projects/%s, naming the parameter', async (path, message) => {
      const res = await t.http.get(`/v1/projects/${path}`).set(bearer(t.adminToken)).expect(400);
      expect(expectError(res.body, 'validation_failed').message).toMatch(message);
    });
  });

  describeCredentialChecks(
    () => t,
    () => [
      ['GET /v1/projects', (token) => withToken(t.http.get('/v1/projects'), token)],
      [
        'POST /v1/projects',
        (token) =>
          withToken(t.http.post('/v1/projects').send({ org_id: randomUUID(), name: 'x' }), token),
      ],
      [
        'GET /v1/projects/{id}',
        (token) => withToken(t.http.get(`/v1/projects/${randomUUID()}`), token),
      ],
      [
        'PATCH /v1/projects/{id}',
        (token) =>
          withToken(t.http.patch(`/v1/projects/${randomUUID()}`).send({ name: 'x' }), token),
      ],
      [
        'DELETE /v1/projects/{id}',
        (token) => withToken(t.http.delete(`/v1/projects/${randomUUID()}`), token),
      ],
    ],
  );
});
