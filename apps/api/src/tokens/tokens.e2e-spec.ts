import { randomUUID } from 'node:crypto';
import { createUser, expectError, type TestUser } from '../../test/support/fixtures';
import { describeCredentialChecks, withToken } from '../../test/support/credentials';
import { bearer, startTestApp, type TestApp } from '../../test/support/test-app';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('tokens', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  async function issue(
    user: TestUser,
    body: Record<string, unknown> = { name: 'laptop' },
  ): Promise<{ id: string; token: string }> {
    const res = await t.http.post('/v1/tokens').set(bearer(user.token)).send(body).expect(200);
    return res.body.data as { id: string; token: string };
  }

  describe('GET /v1/tokens', () => {
    it("lists only the caller's tokens, newest first, without their values", async () => {
      const user = await createUser(t);
      const other = await createUser(t);
      const laptop = await issue(user, { name: 'laptop' });
      await issue(other, { name: 'not-mine' });

      const res = await t.http.get('/v1/tokens').set(bearer(user.token)).expect(200);
      expect(res.body).toEqual({
        data: [
          {
            id: laptop.id,
            name: 'laptop',
            prefix: 'slp_pat_',
            last_four: laptop.token.slice(-4),
            expires_at: null,
            last_used_at: null,
            revoked_at: null,
            created_at: expect.any(String),
          },
          expect.objectContaining({ name: 'initial' }),
        ],
        pagination: { page: 1, per_page: 20, total: 2, total_pages: 1 },
      });
    });

    it('records when a token was last used', async () => {
      const user = await createUser(t);
      const res = await t.http.get('/v1/tokens').set(bearer(user.token)).expect(200);
      const initial = res.body.data[0];
      expect(initial.name).toBe('initial');
      expect(initial.last_used_at).toMatch(ISO);
    });

    it('paginates with page, per_page and the page_size alias', async () => {
      const user = await createUser(t);
      for (const name of ['a', 'b', 'c', 'd']) await issue(user, { name });

      const second = await t.http
        .get('/v1/tokens?page=2&per_page=2')
        .set(bearer(user.token))
        .expect(200);
      expect(second.body.pagination).toEqual({ page: 2, per_page: 2, total: 5, total_pages: 3 });
      expect((second.body.data as { name: string }[]).map((token) => token.name)).toEqual([
        'b',
        'a',
      ]);

      const alias = await t.http.get('/v1/tokens?page_size=4').set(bearer(user.token)).expect(200);
      expect(alias.body.pagination).toEqual({ page: 1, per_page: 4, total: 5, total_pages: 2 });
      expect(alias.body.data).toHaveLength(4);

      const beyond = await t.http
        .get('/v1/tokens?page=9&per_page=100')
        .set(bearer(user.token))
        .expect(200);
      expect(beyond.body).toEqual({
        data: [],
        pagination: { page: 9, per_page: 100, total: 5, total_pages: 1 },
      });
    });

    it.each([
      ['per_page=101', 'per_page: must be at most 100'],
      ['page_size=101', 'page_size: must be at most 100'],
      ['per_page=0', 'per_page: must be at least 1'],
      ['page=0', 'page: must be at least 1'],
      ['page=abc', 'page: must be an integer'],
      ['per_page=2.5', 'per_page: must be an integer'],
      ['sort=name', 'sort: is not a known field'],
    ])('answers 400 for ?%s, naming the parameter', async (query, message) => {
      const res = await t.http.get(`/v1/tokens?${query}`).set(bearer(t.adminToken)).expect(400);
      expect(expectError(res.body, 'validation_failed').message).toBe(message);
    });
  });

  describe('POST /v1/tokens', () => {
    it('creates a token (200) whose value is shown once and works', async () => {
      const user = await createUser(t);
      const res = await t.http
        .post('/v1/tokens')
        .set(bearer(user.token))
        .send({ name: 'ci' })
        .expect(200);
      const token = res.body.data.token as string;
      expect(res.body).toEqual({
        data: {
          id: expect.stringMatching(UUID),
          name: 'ci',
          prefix: 'slp_pat_',
          last_four: token.slice(-4),
          expires_at: null,
          last_used_at: null,
          revoked_at: null,
          created_at: expect.any(String),
          token: expect.stringMatching(/^slp_pat_.{20,}$/),
        },
      });
      const me = await t.http.get('/v1/me').set(bearer(token)).expect(200);
      expect(me.body.data.id).toBe(user.id);

      const list = await t.http.get('/v1/tokens').set(bearer(token)).expect(200);
      const listed = (list.body.data as { id: string }[]).find(
        (item) => item.id === res.body.data.id,
      );
      expect(listed).toBeDefined();
      expect(listed).not.toHaveProperty('token');
      expect(JSON.stringify(list.body)).not.toContain(token);
    });

    it('keeps an expiry in the future and the token works until then', async () => {
      const user = await createUser(t);
      const expiresAt = new Date(Date.now() + 3_600_000).toISOString();
      const res = await t.http
        .post('/v1/tokens')
        .set(bearer(user.token))
        .send({ name: 'hourly', expires_at: expiresAt })
        .expect(200);
      expect(res.body.data.expires_at).toBe(expiresAt);
      await t.http
        .get('/v1/me')
        .set(bearer(res.body.data.token as string))
        .expect(200);
    });

    it('answers 401 for a token once its expiry has passed', async () => {
      const user = await createUser(t);
      const expiresAt = new Date(Date.now() + 3_600_000).toISOString();
      const { id, token } = await issue(user, { name: 'soon', expires_at: expiresAt });
      await t.dataSource.query(
        `UPDATE personal_access_tokens SET expires_at = now() - interval '1 second' WHERE id = $1`,
        [id],
      );
      const res = await t.http.get('/v1/me').set(bearer(token)).expect(401);
      expect(expectError(res.body, 'unauthorized').message).toMatch(/expired/);
    });

    it.each([
      ['a missing name', {}, 'name: must be a string'],
      ['an empty name', { name: '' }, 'name: must not be empty'],
      ['a name that is a number', { name: 12 }, 'name: must be a string'],
      [
        'a name of 101 characters',
        { name: 'n'.repeat(101) },
        'name: must be at most 100 characters',
      ],
      [
        'expires_at that is not a date',
        { name: 'x', expires_at: 'tomorrow' },
        'expires_at: must be an ISO 8601 date-time',
      ],
      [
        'expires_at that is a number',
        { name: 'x', expires_at: 1_900_000_000 },
        'expires_at: must be an ISO 8601 date-time',
      ],
      [
        'expires_at on a day that does not exist',
        { name: 'x', expires_at: '2099-02-30T00:00:00Z' },
        'expires_at: must be an ISO 8601 date-time',
      ],
      [
        'expires_at in the past',
        { name: 'x', expires_at: '2020-01-01T00:00:00Z' },
        'expires_at: must be in the future',
      ],
      ['an unknown field', { name: 'x', scopes: ['all'] }, 'scopes: is not a known field'],
    ])('answers 400 for %s, naming the field', async (_case, body, message) => {
      const user = await createUser(t);
      const res = await t.http.post('/v1/tokens').set(bearer(user.token)).send(body).expect(400);
      expect(expectError(res.body, 'validation_failed').message).toBe(message);
      const list = await t.http.get('/v1/tokens').set(bearer(user.token)).expect(200);
      expect(list.body.pagination.total).toBe(1);
    });
  });

  describe('DELETE /v1/tokens/{id}', () => {
    it('revokes the token (200 with it) and the token stops working', async () => {
      const user = await createUser(t);
      const { id, token } = await issue(user);
      await t.http.get('/v1/me').set(bearer(token)).expect(200);

      const res = await t.http.delete(`/v1/tokens/${id}`).set(bearer(user.token)).expect(200);
      expect(res.body).toEqual({
        data: expect.objectContaining({ id, name: 'laptop', revoked_at: expect.any(String) }),
      });
      expect(res.body.data).not.toHaveProperty('token');

      const after = await t.http.get('/v1/me').set(bearer(token)).expect(401);
      expect(expectError(after.body, 'unauthorized').message).toBe('The token has been revoked');
      // The caller's other tokens keep working.
      await t.http.get('/v1/me').set(bearer(user.token)).expect(200);
    });

    it('revokes the very token making the request', async () => {
      const user = await createUser(t);
      const { id, token } = await issue(user);
      await t.http.delete(`/v1/tokens/${id}`).set(bearer(token)).expect(200);
      await t.http.get('/v1/tokens').set(bearer(token)).expect(401);
    });

    it('is idempotent: revoking again answers 200 with the first revocation time', async () => {
      const user = await createUser(t);
      const { id } = await issue(user);
      const first = await t.http.delete(`/v1/tokens/${id}`).set(bearer(user.token)).expect(200);
      const again = await t.http.delete(`/v1/tokens/${id}`).set(bearer(user.token)).expect(200);
      expect(again.body.data.revoked_at).toBe(first.body.data.revoked_at);
    });

    it("answers 404 for another user's token and leaves it working", async () => {
      const user = await createUser(t);
      const other = await createUser(t);
      const theirs = await issue(other);
      const res = await t.http
        .delete(`/v1/tokens/${theirs.id}`)
        .set(bearer(user.token))
        .expect(404);
      expect(expectError(res.body, 'not_found').message).toContain(theirs.id);
      await t.http.get('/v1/me').set(bearer(theirs.token)).expect(200);
    });

    it('answers 404 for a token id that does not exist', async () => {
      const id = randomUUID();
      const res = await t.http.delete(`/v1/tokens/${id}`).set(bearer(t.adminToken)).expect(404);
      expect(expectError(res.body, 'not_found').message).toBe(`Token ${id} was not found`);
    });

    it('answers 400 for an id that is not a UUID, naming the parameter', async () => {
      const res = await t.http
        .delete('/v1/tokens/not-a-uuid')
        .set(bearer(t.adminToken))
        .expect(400);
      expect(expectError(res.body, 'validation_failed').message).toMatch(/^id: must be a UUID/);
    });
  });

  describeCredentialChecks(
    () => t,
    () => [
      ['GET /v1/tokens', (token) => withToken(t.http.get('/v1/tokens'), token)],
      [
        'POST /v1/tokens',
        (token) => withToken(t.http.post('/v1/tokens').send({ name: 'x' }), token),
      ],
      [
        'DELETE /v1/tokens/{id}',
        (token) => withToken(t.http.delete(`/v1/tokens/${randomUUID()}`), token),
      ],
    ],
  );
});
