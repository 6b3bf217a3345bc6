import { randomUUID } from 'node:crypto';
import {
  createTenant,
  createUser,
  expectError,
  postAccessKey,
  uniqueName,
  type TestTenant,
} from '../../test/support/fixtures';
import { revokedToken } from '../../test/support/credentials';
import { bearer, startTestApp, type TestApp } from '../../test/support/test-app';

interface KeyView {
  id: string;
  name: string;
  scope: 'org' | 'project';
  org_id: string;
  project_id: string | null;
  prefix: string;
  last_four: string;
  status: 'active' | 'revoked' | 'expired';
  created_by: string;
  created_at: string;
  expires_at: string | null;
  revoked_at: string | null;
  labels: Record<string, string>;
  key?: string;
}

const KEY_FORMAT = /^slp_ak_[A-Za-z0-9_-]{40}$/;

describe('access keys', () => {
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

  async function createKey(token: string, body: object): Promise<KeyView> {
    const res = await postAccessKey(t, token, { name: uniqueName('key'), ...body }).expect(200);
    return (res.body as { data: KeyView }).data;
  }
  async function listKeys(token: string, query = ''): Promise<{ data: KeyView[]; total: number }> {
    const res = await t.http.get(`/v1/access-keys${query}`).set(bearer(token)).expect(200);
    const body = res.body as { data: KeyView[]; pagination: { total: number } };
    return { data: body.data, total: body.pagination.total };
  }

  describe('POST /v1/access-keys', () => {
    it('creates an org-scoped key and shows its plaintext once, stored only as a hash', async () => {
      const res = await postAccessKey(t, a.user.token, {
        name: 'frontend',
        org_id: a.orgId,
      }).expect(200);
      expect(Object.keys(res.body as object)).toEqual(['data']);
      const key = (res.body as { data: KeyView }).data;
      expect(key).toEqual({
        id: expect.any(String),
        name: 'frontend',
        scope: 'org',
        org_id: a.orgId,
        project_id: null,
        prefix: 'slp_ak_',
        last_four: key.key?.slice(-4),
        status: 'active',
        labels: {},
        created_by: a.user.id,
        created_at: expect.any(String),
        expires_at: null,
        revoked_at: null,
        key: expect.stringMatching(KEY_FORMAT),
      });
      expect(res.headers['idempotent-replayed']).toBeUndefined();
      const rows = await t.dataSource.query<{ key_hash: string }[]>(
        'SELECT key_hash FROM access_keys WHERE id = $1',
        [key.id],
      );
      expect(rows[0]?.key_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(rows[0]?.key_hash).not.toContain(key.key?.slice(7));
    });

    it('creates a project-scoped key whose org comes from the project', async () => {
      const key = await createKey(a.user.token, { project_id: a.projectId });
      expect(key).toMatchObject({ scope: 'project', org_id: a.orgId, project_id: a.projectId });
      const both = await createKey(a.user.token, { org_id: a.orgId, project_id: a.projectId });
      expect(both).toMatchObject({ scope: 'project', project_id: a.projectId });
    });

    it('gives every key a different value', async () => {
      const first = await createKey(a.user.token, { org_id: a.orgId });
      const second = await createKey(a.user.token, { org_id: a.orgId });
      expect(first.key).not.toEqual(second.key);
    });

    it('accepts an expiry in the future and refuses one in the past', async () => {
      const future = new Date(Date.now() + 3600_000).toISOString();
      const key = await createKey(a.user.token, { org_id: a.orgId, expires_at: future });
      expect(key.expires_at).toBe(future);
      const past = new Date(Date.now() - 1000).toISOString();
      const res = await postAccessKey(t, a.user.token, {
        name: 'x',
        org_id: a.orgId,
        expires_at: past,
      });
      expect(res.status).toBe(400);
      expect(expectError(res.body, 'validation_failed').message).toMatch(/^expires_at: /);
    });

    it.each([
      [{ name: 'no scope' }, /org_id: required unless project_id/],
      [{ org_id: randomUUID() }, /name: /],
      [{ name: '', org_id: randomUUID() }, /name: must not be empty/],
      [{ name: 'x'.repeat(101), org_id: randomUUID() }, /name: must be at most 100/],
      [{ name: 'x', org_id: 'not-a-uuid' }, /org_id: must be a UUID/],
      [{ name: 'x', project_id: 42 }, /project_id: must be a UUID/],
      [{ name: 'x', org_id: randomUUID(), expires_at: 'soon' }, /expires_at: must be an ISO/],
      [{ name: 'x', org_id: randomUUID(), colour: 'red' }, /colour: is not a known field/],
    ])('refuses bad input %j with a message naming the field', async (body, message) => {
      const res = await postAccessKey(t, a.user.token, body);
      expect(res.status).toBe(400);
      expect(expectError(res.body, 'validation_failed').message).toMatch(message);
    });

    it("refuses an org_id that is not the project's org", async () => {
      const org = await t.http
        .post('/v1/orgs')
        .set(bearer(a.user.token))
        .send({ name: uniqueName('org') })
        .expect(200);
      const otherOrgId = (org.body as { data: { id: string } }).data.id;
      const res = await postAccessKey(t, a.user.token, {
        name: 'x',
        org_id: otherOrgId,
        project_id: a.projectId,
      });
      expect(res.status).toBe(400);
      expect(expectError(res.body, 'validation_failed').message).toMatch(/^org_id: /);
    });

    it("answers 404 for another tenant's org or project, and for unknown ids", async () => {
      for (const body of [
        { org_id: b.orgId },
        { project_id: b.projectId },
        { org_id: randomUUID() },
        { project_id: randomUUID() },
      ]) {
        const res = await postAccessKey(t, a.user.token, { name: 'x', ...body });
        expect(res.status).toBe(404);
        expectError(res.body, 'not_found');
      }
      expect((await listKeys(b.user.token)).data.some((k) => k.created_by === a.user.id)).toBe(
        false,
      );
    });
  });

  describe('GET /v1/access-keys', () => {
    it('lists the caller orgs’ keys with prefix and last four, never the key itself', async () => {
      const tenant = await createTenant(t);
      const orgKey = await createKey(tenant.user.token, { org_id: tenant.orgId });
      const projectKey = await createKey(tenant.user.token, { project_id: tenant.projectId });
      const res = await t.http.get('/v1/access-keys').set(bearer(tenant.user.token)).expect(200);
      expect(Object.keys(res.body as object).sort()).toEqual(['data', 'pagination']);
      const body = res.body as { data: KeyView[]; pagination: unknown };
      expect(body.pagination).toEqual({ page: 1, per_page: 20, total: 2, total_pages: 1 });
      expect(body.data.map((k) => k.id).sort()).toEqual([orgKey.id, projectKey.id].sort());
      for (const item of body.data) {
        expect(item).not.toHaveProperty('key');
        expect(item).toMatchObject({ prefix: 'slp_ak_', status: 'active' });
      }
      const listed = body.data.find((k) => k.id === orgKey.id);
      expect(listed?.last_four).toBe(orgKey.key?.slice(-4));
      expect(JSON.stringify(res.body)).not.toContain(orgKey.key);
      expect(JSON.stringify(res.body)).not.toContain(projectKey.key);
    });

    it('filters by org_id and by project_id', async () => {
      const tenant = await createTenant(t);
      const orgKey = await createKey(tenant.user.token, { org_id: tenant.orgId });
      const projectKey = await createKey(tenant.user.token, { project_id: tenant.projectId });
      const byOrg = await listKeys(tenant.user.token, `?org_id=${tenant.orgId}`);
      expect(byOrg.data.map((k) => k.id).sort()).toEqual([orgKey.id, projectKey.id].sort());
      const byProject = await listKeys(tenant.user.token, `?project_id=${tenant.projectId}`);
      expect(byProject.data.map((k) => k.id)).toEqual([projectKey.id]);
      const both = `?org_id=${tenant.orgId}&project_id=${tenant.projectId}`;
      expect((await listKeys(tenant.user.token, both)).data.map((k) => k.id)).toEqual([
        projectKey.id,
      ]);
    });

    it('paginates with page and per_page', async () => {
      const tenant = await createTenant(t);
      for (let i = 0; i < 3; i++) await createKey(tenant.user.token, { org_id: tenant.orgId });
      const res = await t.http
        .get('/v1/access-keys?page=2&per_page=2')
        .set(bearer(tenant.user.token))
        .expect(200);
      const body = res.body as { data: KeyView[]; pagination: unknown };
      expect(body.data).toHaveLength(1);
      expect(body.pagination).toEqual({ page: 2, per_page: 2, total: 3, total_pages: 2 });
    });

    it("answers 404 for another tenant's org or project and for a project outside org_id", async () => {
      for (const query of [
        `?org_id=${b.orgId}`,
        `?project_id=${b.projectId}`,
        `?org_id=${randomUUID()}`,
        `?org_id=${b.orgId}&project_id=${a.projectId}`,
      ]) {
        const res = await t.http.get(`/v1/access-keys${query}`).set(bearer(a.user.token));
        expect(res.status).toBe(404);
        expectError(res.body, 'not_found');
      }
    });

    it.each([
      ['?org_id=nope', /org_id: must be a UUID/],
      ['?project_id=nope', /project_id: must be a UUID/],
      ['?per_page=101', /per_page: must be at most 100/],
      ['?page=0', /page: must be at least 1/],
      ['?colour=red', /colour: is not a known field/],
    ])('refuses the bad query %s naming the field', async (query, message) => {
      const res = await t.http.get(`/v1/access-keys${query}`).set(bearer(a.user.token));
      expect(res.status).toBe(400);
      expect(expectError(res.body, 'validation_failed').message).toMatch(message);
    });

    it('shows a key past its expiry as expired', async () => {
      const tenant = await createTenant(t);
      const key = await createKey(tenant.user.token, {
        org_id: tenant.orgId,
        expires_at: new Date(Date.now() + 3600_000).toISOString(),
      });
      await t.dataSource.query(
        `UPDATE access_keys SET expires_at = now() - interval '1 minute' WHERE id = $1`,
        [key.id],
      );
      const { data } = await listKeys(tenant.user.token);
      expect(data.find((k) => k.id === key.id)?.status).toBe('expired');
    });
  });

  describe('DELETE /v1/access-keys/{id}', () => {
    it('revokes a key, idempotently', async () => {
      const key = await createKey(a.user.token, { project_id: a.projectId });
      const first = await t.http
        .delete(`/v1/access-keys/${key.id}`)
        .set(bearer(a.user.token))
        .expect(200);
      expect(Object.keys(first.body as object)).toEqual(['data']);
      const revoked = (first.body as { data: KeyView }).data;
      expect(revoked).toMatchObject({
        id: key.id,
        status: 'revoked',
        revoked_at: expect.any(String),
      });
      expect(revoked).not.toHaveProperty('key');
      const second = await t.http
        .delete(`/v1/access-keys/${key.id}`)
        .set(bearer(a.user.token))
        .expect(200);
      expect((second.body as { data: KeyView }).data).toEqual(revoked);
      const { data } = await listKeys(a.user.token, `?project_id=${a.projectId}`);
      expect(data.find((k) => k.id === key.id)?.status).toBe('revoked');
    });

    it('lets another member of the org revoke its keys', async () => {
      const tenant = await createTenant(t);
      const member = await createUser(t);
      await t.http
        .post(`/v1/orgs/${tenant.orgId}/members`)
        .set(bearer(tenant.user.token))
        .send({ email: member.email })
        .expect(200);
      const key = await createKey(tenant.user.token, { org_id: tenant.orgId });
      expect((await listKeys(member.token)).data.map((k) => k.id)).toEqual([key.id]);
      await t.http.delete(`/v1/access-keys/${key.id}`).set(bearer(member.token)).expect(200);
    });

    it("answers 404 for another tenant's key and an unknown id, 400 for a malformed id", async () => {
      const key = await createKey(b.user.token, { org_id: b.orgId });
      for (const id of [key.id, randomUUID()]) {
        const res = await t.http.delete(`/v1/access-keys/${id}`).set(bearer(a.user.token));
        expect(res.status).toBe(404);
        expectError(res.body, 'not_found');
      }
      const { data } = await listKeys(b.user.token);
      expect(data.find((k) => k.id === key.id)?.status).toBe('active');
      const bad = await t.http.delete('/v1/access-keys/nope').set(bearer(a.user.token));
      expect(bad.status).toBe(400);
      expect(expectError(bad.body, 'validation_failed').message).toMatch(/^id: must be a UUID/);
    });
  });

  describe('credentials', () => {
    it('answers 401 on every route without, with an invalid, or with a revoked token', async () => {
      const revoked = await revokedToken(t);
      const accessKey = (await createKey(a.user.token, { org_id: a.orgId })).key ?? '';
      const headers: Record<string, string>[] = [
        {},
        bearer('slp_pat_not-a-real-token'),
        { Authorization: 'Basic abc' },
        bearer(revoked),
        bearer(accessKey),
      ];
      for (const header of headers) {
        const calls = [
          t.http.get('/v1/access-keys').set(header),
          t.http.post('/v1/access-keys').set(header).send({ name: 'x', org_id: a.orgId }),
          t.http.delete(`/v1/access-keys/${randomUUID()}`).set(header),
        ];
        for (const call of calls) {
          const res = await call;
          expect(res.status).toBe(401);
          expectError(res.body, 'unauthorized');
        }
      }
    });
  });
});
