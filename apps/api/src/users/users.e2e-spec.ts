import { createUser, expectError, uniqueName } from '../../test/support/fixtures';
import { revokedToken } from '../../test/support/credentials';
import { bearer, startTestApp, type TestApp } from '../../test/support/test-app';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('users', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  describe('GET /v1/me', () => {
    it('answers the caller in a data envelope', async () => {
      const user = await createUser(t);
      const res = await t.http.get('/v1/me').set(bearer(user.token)).expect(200);
      expect(res.body).toEqual({
        data: {
          id: user.id,
          email: user.email,
          name: 'Test User',
          is_admin: false,
          created_at: expect.any(String),
        },
      });
      expect(res.body.data.created_at).toMatch(ISO);
    });

    it('answers the bootstrap admin for the bootstrap token', async () => {
      const res = await t.http.get('/v1/me').set(bearer(t.adminToken)).expect(200);
      expect(res.body.data).toMatchObject({
        email: t.config.bootstrap.adminEmail,
        is_admin: true,
      });
      expect(res.body.data.id).toMatch(UUID);
    });

    it('answers 401 without an Authorization header, saying what to send', async () => {
      const res = await t.http.get('/v1/me').expect(401);
      expect(expectError(res.body, 'unauthorized').message).toMatch(/Authorization.*Bearer/);
    });

    it('answers 401 for a token that was never issued', async () => {
      const res = await t.http.get('/v1/me').set(bearer('slp_pat_not-a-real-token')).expect(401);
      expect(expectError(res.body, 'unauthorized').message).toBe('The token is not valid');
    });

    it('answers 401 for a revoked token', async () => {
      const token = await revokedToken(t);
      const res = await t.http.get('/v1/me').set(bearer(token)).expect(401);
      expect(expectError(res.body, 'unauthorized').message).toMatch(/revoked/);
    });

    it('answers 401 for a scheme other than Bearer', async () => {
      const user = await createUser(t);
      const res = await t.http
        .get('/v1/me')
        .set('Authorization', `Basic ${user.token}`)
        .expect(401);
      expect(expectError(res.body, 'unauthorized').message).toMatch(/Bearer/);
    });

    it('answers 401 for an Access Key used on the management API', async () => {
      const res = await t.http.get('/v1/me').set(bearer('slp_ak_0123456789abcdef')).expect(401);
      expect(expectError(res.body, 'unauthorized').message).toMatch(/Personal Access Token/);
    });
  });

  describe('POST /v1/users', () => {
    it('creates a user (200) and shows their first token once', async () => {
      const email = `${uniqueName('ada')}@example.com`;
      const res = await t.http
        .post('/v1/users')
        .set(bearer(t.adminToken))
        .send({ email, name: 'Ada Lovelace' })
        .expect(200);
      expect(res.body).toEqual({
        data: {
          id: expect.stringMatching(UUID),
          email,
          name: 'Ada Lovelace',
          is_admin: false,
          created_at: expect.any(String),
          token: expect.stringMatching(/^slp_pat_/),
        },
      });

      const token = res.body.data.token as string;
      const me = await t.http.get('/v1/me').set(bearer(token)).expect(200);
      expect(me.body.data).toMatchObject({ id: res.body.data.id, email, is_admin: false });

      // The token is not shown again: its listing carries only the last four characters.
      const tokens = await t.http.get('/v1/tokens').set(bearer(token)).expect(200);
      expect(tokens.body.data).toHaveLength(1);
      expect(tokens.body.data[0]).not.toHaveProperty('token');
      expect(tokens.body.data[0]).toMatchObject({
        name: 'initial',
        last_four: token.slice(-4),
      });
    });

    it('stores the email lower-cased', async () => {
      const email = `${uniqueName('Mixed')}@Example.COM`;
      const res = await t.http
        .post('/v1/users')
        .set(bearer(t.adminToken))
        .send({ email, name: 'Mixed Case' })
        .expect(200);
      expect(res.body.data.email).toBe(email.toLowerCase());
    });

    it('creates an admin who can create users in turn', async () => {
      const admin = await createUser(t, true);
      const me = await t.http.get('/v1/me').set(bearer(admin.token)).expect(200);
      expect(me.body.data.is_admin).toBe(true);
      const res = await t.http
        .post('/v1/users')
        .set(bearer(admin.token))
        .send({ email: `${uniqueName('grace')}@example.com`, name: 'Grace' })
        .expect(200);
      expect(res.body.data.is_admin).toBe(false);
    });

    it('answers 409 for an email that is taken, whatever its case', async () => {
      const user = await createUser(t);
      const res = await t.http
        .post('/v1/users')
        .set(bearer(t.adminToken))
        .send({ email: user.email.toUpperCase(), name: 'Again' })
        .expect(409);
      expect(expectError(res.body, 'already_exists').message).toContain(user.email);
    });

    it('answers 403 to a caller who is not an admin and creates nobody', async () => {
      const user = await createUser(t);
      const email = `${uniqueName('sneaky')}@example.com`;
      const res = await t.http
        .post('/v1/users')
        .set(bearer(user.token))
        .send({ email, name: 'Sneaky', is_admin: true })
        .expect(403);
      expect(expectError(res.body, 'forbidden').message).toMatch(/admins/);
      // The email is still free: nothing was created.
      await t.http
        .post('/v1/users')
        .set(bearer(t.adminToken))
        .send({ email, name: 'Legit' })
        .expect(200);
    });

    it.each([
      ['a missing email', { name: 'N' }, 'email: must be an email address'],
      [
        'an email that is not one',
        { email: 'not-an-email', name: 'N' },
        'email: must be an email address',
      ],
      ['an email that is a number', { email: 42, name: 'N' }, 'email: must be an email address'],
      ['a missing name', { email: 'x@example.com' }, 'name: must be a string'],
      ['an empty name', { email: 'x@example.com', name: '' }, 'name: must not be empty'],
      ['a name that is a number', { email: 'x@example.com', name: 7 }, 'name: must be a string'],
      [
        'a name of 101 characters',
        { email: 'x@example.com', name: 'n'.repeat(101) },
        'name: must be at most 100 characters',
      ],
      [
        'is_admin as a string',
        { email: 'x@example.com', name: 'N', is_admin: 'yes' },
        'is_admin: must be true or false',
      ],
      [
        'an unknown field',
        { email: 'x@example.com', name: 'N', role: 'admin' },
        'role: is not a known field',
      ],
    ])('answers 400 for %s, naming the field', async (_case, body, message) => {
      const res = await t.http.post('/v1/users').set(bearer(t.adminToken)).send(body).expect(400);
      expect(expectError(res.body, 'validation_failed').message).toBe(message);
    });

    it('answers 400 for a body that is not JSON', async () => {
      const res = await t.http
        .post('/v1/users')
        .set(bearer(t.adminToken))
        .set('Content-Type', 'application/json')
        .send('{"email":')
        .expect(400);
      expectError(res.body, 'malformed_json');
    });

    it('answers 401 without credentials, with an unknown token and with a revoked one', async () => {
      const body = { email: `${uniqueName('nobody')}@example.com`, name: 'Nobody' };
      const missing = await t.http.post('/v1/users').send(body).expect(401);
      expectError(missing.body, 'unauthorized');
      const unknown = await t.http
        .post('/v1/users')
        .set(bearer('slp_pat_unknown'))
        .send(body)
        .expect(401);
      expectError(unknown.body, 'unauthorized');
      const revoked = await t.http
        .post('/v1/users')
        .set(bearer(await revokedToken(t)))
        .send(body)
        .expect(401);
      expect(expectError(revoked.body, 'unauthorized').message).toMatch(/revoked/);
    });
  });
});
