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

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('orgs', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  async function createOrg(user: TestUser, name = uniqueName('org')): Promise<string> {
    const res = await t.http.post('/v1/orgs').set(bearer(user.token)).send({ name }).expect(200);
    return res.body.data.id as string;
  }

  async function addMember(
    actor: TestUser,
    orgId: string,
    body: { email: string; role?: string },
  ): Promise<void> {
    await t.http.post(`/v1/orgs/${orgId}/members`).set(bearer(actor.token)).send(body).expect(200);
  }

  /** An org whose owner also added a plain member and an admin. */
  async function orgWithRoles(): Promise<
    Record<'owner' | 'admin' | 'member', TestUser> & { orgId: string }
  > {
    const owner = await createUser(t);
    const admin = await createUser(t);
    const member = await createUser(t);
    const orgId = await createOrg(owner);
    await addMember(owner, orgId, { email: admin.email, role: 'admin' });
    await addMember(owner, orgId, { email: member.email });
    return { orgId, owner, admin, member };
  }

  describe('POST /v1/orgs', () => {
    it('creates an org (200) owned by the caller', async () => {
      const user = await createUser(t);
      const res = await t.http
        .post('/v1/orgs')
        .set(bearer(user.token))
        .send({ name: 'Acme', description: 'Rockets' })
        .expect(200);
      expect(res.body).toEqual({
        data: {
          id: expect.stringMatching(UUID),
          name: 'Acme',
          description: 'Rockets',
          role: 'owner',
          created_at: expect.any(String),
          updated_at: expect.any(String),
        },
      });
      const members = await t.http
        .get(`/v1/orgs/${res.body.data.id}/members`)
        .set(bearer(user.token))
        .expect(200);
      expect(members.body.data).toEqual([
        {
          user_id: user.id,
          email: user.email,
          name: 'Test User',
          role: 'owner',
          joined_at: expect.any(String),
        },
      ]);
    });

    it.each([
      ['a missing name', {}, 'name: must be a string'],
      ['an empty name', { name: '' }, 'name: must not be empty'],
      ['a blank name', { name: '   ' }, 'name: must not be empty'],
      ['a name that is a number', { name: 3 }, 'name: must be a string'],
      [
        'a name of 101 characters',
        { name: 'n'.repeat(101) },
        'name: must be at most 100 characters',
      ],
      [
        'a description that is not a string',
        { name: 'x', description: ['a'] },
        'description: must be a string',
      ],
      [
        'a description of 501 characters',
        { name: 'x', description: 'd'.repeat(501) },
        'description: must be at most 500 characters',
      ],
      ['an unknown field', { name: 'x', slug: 'x' }, 'slug: is not a known field'],
    ])('answers 400 for %s, naming the field', async (_case, body, message) => {
      const res = await t.http.post('/v1/orgs').set(bearer(t.adminToken)).send(body).expect(400);
      expect(expectError(res.body, 'validation_failed').message).toBe(message);
    });
  });

  describe('GET /v1/orgs', () => {
    it('lists only the orgs the caller belongs to, with their role', async () => {
      const { orgId, member } = await orgWithRoles();
      const stranger = await createTenant(t);
      const res = await t.http.get('/v1/orgs').set(bearer(member.token)).expect(200);
      expect(res.body).toEqual({
        data: [expect.objectContaining({ id: orgId, role: 'member' })],
        pagination: { page: 1, per_page: 20, total: 1, total_pages: 1 },
      });
      expect(JSON.stringify(res.body)).not.toContain(stranger.orgId);
    });

    it('answers an empty list to a user in no org', async () => {
      const user = await createUser(t);
      const res = await t.http.get('/v1/orgs').set(bearer(user.token)).expect(200);
      expect(res.body).toEqual({
        data: [],
        pagination: { page: 1, per_page: 20, total: 0, total_pages: 1 },
      });
    });

    it('paginates with page, per_page and the page_size alias', async () => {
      const user = await createUser(t);
      const ids: string[] = [];
      for (const name of ['one', 'two', 'three']) ids.push(await createOrg(user, name));

      const second = await t.http
        .get('/v1/orgs?page=2&per_page=2')
        .set(bearer(user.token))
        .expect(200);
      expect((second.body.data as { id: string }[]).map((org) => org.id)).toEqual([ids[2]]);
      expect(second.body.pagination).toEqual({ page: 2, per_page: 2, total: 3, total_pages: 2 });

      const alias = await t.http.get('/v1/orgs?page_size=100').set(bearer(user.token)).expect(200);
      expect((alias.body.data as { id: string }[]).map((org) => org.id)).toEqual(ids);
      expect(alias.body.pagination).toEqual({ page: 1, per_page: 100, total: 3, total_pages: 1 });
    });

    it.each([
      ['per_page=101', 'per_page: must be at most 100'],
      ['page_size=101', 'page_size: must be at most 100'],
      ['page=0', 'page: must be at least 1'],
      ['page=x', 'page: must be an integer'],
      ['name=acme', 'name: is not a known field'],
    ])('answers 400 for ?%s, naming the parameter', async (query, message) => {
      const res = await t.http.get(`/v1/orgs?${query}`).set(bearer(t.adminToken)).expect(400);
      expect(expectError(res.body, 'validation_failed').message).toBe(message);
    });
  });

  describe('GET /v1/orgs/{id}', () => {
    it("answers the org with the caller's role", async () => {
      const { orgId, owner, admin } = await orgWithRoles();
      const asOwner = await t.http.get(`/v1/orgs/${orgId}`).set(bearer(owner.token)).expect(200);
      expect(asOwner.body).toEqual({
        data: expect.objectContaining({ id: orgId, role: 'owner', description: null }),
      });
      const asAdmin = await t.http.get(`/v1/orgs/${orgId}`).set(bearer(admin.token)).expect(200);
      expect(asAdmin.body.data.role).toBe('admin');
    });

    it("answers 404, not 403, for another org's id", async () => {
      const tenant = await createTenant(t);
      const other = await createTenant(t);
      const res = await t.http
        .get(`/v1/orgs/${other.orgId}`)
        .set(bearer(tenant.user.token))
        .expect(404);
      expect(expectError(res.body, 'not_found').message).toBe(
        `Organization ${other.orgId} was not found`,
      );
    });

    it('answers 404 for an id that does not exist', async () => {
      const res = await t.http
        .get(`/v1/orgs/${randomUUID()}`)
        .set(bearer(t.adminToken))
        .expect(404);
      expectError(res.body, 'not_found');
    });

    it('answers 400 for an id that is not a UUID, naming the parameter', async () => {
      const res = await t.http.get('/v1/orgs/acme').set(bearer(t.adminToken)).expect(400);
      expect(expectError(res.body, 'validation_failed').message).toMatch(/^id: must be a UUID/);
    });
  });

  describe('GET /v1/orgs/{id}/members', () => {
    it('lists the members with their roles to any member, paginated', async () => {
      const { orgId, owner, admin, member } = await orgWithRoles();
      const res = await t.http
        .get(`/v1/orgs/${orgId}/members`)
        .set(bearer(member.token))
        .expect(200);
      expect(res.body.pagination).toEqual({ page: 1, per_page: 20, total: 3, total_pages: 1 });
      expect(
        (res.body.data as { email: string; role: string }[]).map((m) => [m.email, m.role]),
      ).toEqual([
        [owner.email, 'owner'],
        [admin.email, 'admin'],
        [member.email, 'member'],
      ]);

      const paged = await t.http
        .get(`/v1/orgs/${orgId}/members?page=2&page_size=2`)
        .set(bearer(owner.token))
        .expect(200);
      expect(paged.body.data).toEqual([expect.objectContaining({ user_id: member.id })]);
      expect(paged.body.pagination).toEqual({ page: 2, per_page: 2, total: 3, total_pages: 2 });
    });

    it("answers 404 for another org's id and for one that does not exist", async () => {
      const tenant = await createTenant(t);
      const other = await createTenant(t);
      for (const id of [other.orgId, randomUUID()]) {
        const res = await t.http
          .get(`/v1/orgs/${id}/members`)
          .set(bearer(tenant.user.token))
          .expect(404);
        expectError(res.body, 'not_found');
      }
    });

    it.each([
      ['not-a-uuid/members', /^id: must be a UUID/],
      [`${randomUUID()}/members?per_page=101`, /^per_page: must be at most 100$/],
    ])('answers 400 for %s, naming the parameter', async (path, message) => {
      const res = await t.http.get(`/v1/orgs/${path}`).set(bearer(t.adminToken)).expect(400);
      expect(expectError(res.body, 'validation_failed').message).toMatch(message);
    });
  });

  describe('POST /v1/orgs/{id}/members', () => {
    it('adds an existing user by email (200), as member by default', async () => {
      const owner = await createUser(t);
      const newcomer = await createUser(t);
      const orgId = await createOrg(owner);
      const res = await t.http
        .post(`/v1/orgs/${orgId}/members`)
        .set(bearer(owner.token))
        .send({ email: newcomer.email.toUpperCase() })
        .expect(200);
      expect(res.body).toEqual({
        data: {
          user_id: newcomer.id,
          email: newcomer.email,
          name: 'Test User',
          role: 'member',
          joined_at: expect.any(String),
        },
      });
      const seen = await t.http.get(`/v1/orgs/${orgId}`).set(bearer(newcomer.token)).expect(200);
      expect(seen.body.data.role).toBe('member');
    });

    it('lets an admin add members but not owners', async () => {
      const { orgId, admin } = await orgWithRoles();
      const [first, second] = [await createUser(t), await createUser(t)];
      await addMember(admin, orgId, { email: first.email, role: 'admin' });
      const res = await t.http
        .post(`/v1/orgs/${orgId}/members`)
        .set(bearer(admin.token))
        .send({ email: second.email, role: 'owner' })
        .expect(403);
      expect(expectError(res.body, 'forbidden').message).toBe('Only owners can add owners');
    });

    it('answers 403 to a plain member', async () => {
      const { orgId, member } = await orgWithRoles();
      const newcomer = await createUser(t);
      const res = await t.http
        .post(`/v1/orgs/${orgId}/members`)
        .set(bearer(member.token))
        .send({ email: newcomer.email })
        .expect(403);
      expect(expectError(res.body, 'forbidden').message).toBe(
        'Only owners and admins can add members',
      );
      await t.http.get(`/v1/orgs/${orgId}`).set(bearer(newcomer.token)).expect(404);
    });

    it('answers 409 for someone who is already a member', async () => {
      const { orgId, owner, member } = await orgWithRoles();
      const res = await t.http
        .post(`/v1/orgs/${orgId}/members`)
        .set(bearer(owner.token))
        .send({ email: member.email, role: 'admin' })
        .expect(409);
      expect(expectError(res.body, 'already_exists').message).toBe(
        `${member.email} is already a member of this organization`,
      );
      const seen = await t.http.get(`/v1/orgs/${orgId}`).set(bearer(member.token)).expect(200);
      expect(seen.body.data.role).toBe('member');
    });

    it('answers 404 for an email no user has', async () => {
      const tenant = await createTenant(t);
      const res = await t.http
        .post(`/v1/orgs/${tenant.orgId}/members`)
        .set(bearer(tenant.user.token))
        .send({ email: 'Nobody@Example.com' })
        .expect(404);
      expect(expectError(res.body, 'not_found').message).toBe(
        'No user has the email nobody@example.com',
      );
    });

    it("answers 404, not 403, for another org's id and for one that does not exist", async () => {
      const tenant = await createTenant(t);
      const other = await createTenant(t);
      for (const id of [other.orgId, randomUUID()]) {
        const res = await t.http
          .post(`/v1/orgs/${id}/members`)
          .set(bearer(tenant.user.token))
          .send({ email: tenant.user.email })
          .expect(404);
        expect(expectError(res.body, 'not_found').message).toBe(`Organization ${id} was not found`);
      }
    });

    it.each([
      ['a missing email', {}, 'email: must be an email address'],
      ['an email that is not one', { email: 'ada' }, 'email: must be an email address'],
      [
        'an unknown role',
        { email: 'a@example.com', role: 'root' },
        'role: must be one of owner, admin, member',
      ],
      [
        'an unknown field',
        { email: 'a@example.com', user_id: randomUUID() },
        'user_id: is not a known field',
      ],
    ])('answers 400 for %s, naming the field', async (_case, body, message) => {
      const tenant = await createTenant(t);
      const res = await t.http
        .post(`/v1/orgs/${tenant.orgId}/members`)
        .set(bearer(tenant.user.token))
        .send(body)
        .expect(400);
      expect(expectError(res.body, 'validation_failed').message).toBe(message);
    });

    it('answers 400 for an org id that is not a UUID', async () => {
      const res = await t.http
        .post('/v1/orgs/123/members')
        .set(bearer(t.adminToken))
        .send({ email: 'a@example.com' })
        .expect(400);
      expect(expectError(res.body, 'validation_failed').message).toMatch(/^id: must be a UUID/);
    });
  });

  describeCredentialChecks(
    () => t,
    () => {
      const id = randomUUID();
      return [
        ['GET /v1/orgs', (token) => withToken(t.http.get('/v1/orgs'), token)],
        ['POST /v1/orgs', (token) => withToken(t.http.post('/v1/orgs').send({ name: 'x' }), token)],
        ['GET /v1/orgs/{id}', (token) => withToken(t.http.get(`/v1/orgs/${id}`), token)],
        [
          'GET /v1/orgs/{id}/members',
          (token) => withToken(t.http.get(`/v1/orgs/${id}/members`), token),
        ],
        [
          'POST /v1/orgs/{id}/members',
          (token) =>
            withToken(
              t.http.post(`/v1/orgs/${id}/members`).send({ email: 'a@example.com' }),
              token,
            ),
        ],
      ];
    },
  );
});
