import { ErrorCode } from '@slipway/contracts';
import { createUser, expectError, type TestUser } from '../../test/support/fixtures';
import { bearer, startTestApp, type TestApp } from '../../test/support/test-app';

/** The session cookie as the browser would send it back, from a Set-Cookie answer. */
function cookieOf(setCookie: string[] | string | undefined): string {
  const header = ([] as string[])
    .concat(setCookie ?? [])
    .find((c) => c.startsWith('slipway_session='));
  if (!header) throw new Error('no session cookie was set');
  return header.split(';')[0] ?? '';
}

describe('browser sessions', () => {
  let t: TestApp;
  let user: TestUser;
  beforeAll(async () => {
    t = await startTestApp();
    user = await createUser(t);
  });
  afterAll(async () => {
    await t.close();
  });

  async function open(
    token = user.token,
  ): Promise<{ cookie: string; csrf: string; setCookie: string }> {
    const res = await t.http.post('/v1/sessions').send({ token }).expect(200);
    const setCookie = ([] as string[]).concat(res.headers['set-cookie'] ?? []).join('\n');
    return {
      cookie: cookieOf(res.headers['set-cookie']),
      csrf: res.body.data.csrf_token as string,
      setCookie,
    };
  }

  it('exchanges a token for an HttpOnly, SameSite=Strict cookie that never holds the token', async () => {
    const { cookie, csrf, setCookie } = await open();
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    expect(setCookie).toMatch(/Path=\//);
    expect(setCookie).not.toContain(user.token);
    expect(csrf).toMatch(/^[0-9a-f]{64}$/);
    // Reads work with the cookie alone.
    const projects = await t.http.get('/v1/projects').set('Cookie', cookie).expect(200);
    expect(Array.isArray(projects.body.data)).toBe(true);
    const current = await t.http.get('/v1/sessions/current').set('Cookie', cookie).expect(200);
    // A page opened later asks for the CSRF token again.
    expect(current.body.data.csrf_token).toBe(csrf);
    // The session is stored as hashes only.
    const rows = await t.dataSource.query<{ secret_hash: string }[]>(
      'SELECT * FROM sessions WHERE id = $1',
      [current.body.data.id],
    );
    expect(JSON.stringify(rows)).not.toContain(cookie.split('=')[1]);
    expect(JSON.stringify(rows)).not.toContain(csrf);
  });

  it('needs the CSRF token for a change made with the cookie', async () => {
    const { cookie, csrf } = await open();
    const missing = await t.http
      .post('/v1/tokens')
      .set('Cookie', cookie)
      .send({ name: 'x' })
      .expect(403);
    expect(expectError(missing.body, ErrorCode.Forbidden).message).toMatch(/X-CSRF-Token/);
    const wrong = await t.http
      .post('/v1/tokens')
      .set('Cookie', cookie)
      .set('X-CSRF-Token', 'a'.repeat(43))
      .send({ name: 'x' })
      .expect(403);
    expect(expectError(wrong.body, ErrorCode.Forbidden).message).toMatch(/does not match/);
    await t.http
      .post('/v1/tokens')
      .set('Cookie', cookie)
      .set('X-CSRF-Token', csrf)
      .send({ name: 'from-the-browser' })
      .expect(200);
  });

  it('signs out: the cookie stops working and is cleared', async () => {
    const { cookie, csrf } = await open();
    const res = await t.http
      .delete('/v1/sessions/current')
      .set('Cookie', cookie)
      .set('X-CSRF-Token', csrf)
      .expect(200);
    expect(([] as string[]).concat(res.headers['set-cookie'] ?? []).join()).toMatch(
      /slipway_session=;.*Expires=Thu, 01 Jan 1970/,
    );
    const after = await t.http.get('/v1/projects').set('Cookie', cookie).expect(401);
    expect(expectError(after.body, ErrorCode.Unauthorized).message).toMatch(/session has ended/);
  });

  it('ends with its token: a revoked token closes its sessions', async () => {
    const issued = await t.http
      .post('/v1/tokens')
      .set(bearer(user.token))
      .send({ name: 'short' })
      .expect(200);
    const { cookie } = await open(issued.body.data.token as string);
    await t.http.get('/v1/projects').set('Cookie', cookie).expect(200);
    await t.http
      .delete(`/v1/tokens/${issued.body.data.id as string}`)
      .set(bearer(user.token))
      .expect(200);
    const after = await t.http.get('/v1/projects').set('Cookie', cookie).expect(401);
    expect(expectError(after.body, ErrorCode.Unauthorized).message).toMatch(/revoked/);
  });

  it('expired sessions are refused', async () => {
    const { cookie } = await open();
    await t.dataSource.query(
      "UPDATE sessions SET expires_at = now() - interval '1 second' WHERE revoked_at IS NULL",
    );
    const res = await t.http.get('/v1/projects').set('Cookie', cookie).expect(401);
    expect(expectError(res.body, ErrorCode.Unauthorized).message).toMatch(/expired/);
  });

  describe('bad input and bad credentials', () => {
    it.each([
      [{}, 'token: is required'],
      [{ token: 42 }, 'token: must be a string'],
      [{ token: 'x', extra: 1 }, 'extra: is not a known field'],
    ])('POST %j is 400 and sets no cookie', async (body, message) => {
      const res = await t.http.post('/v1/sessions').send(body).expect(400);
      expect(expectError(res.body, ErrorCode.ValidationFailed).message).toContain(message);
      expect(res.headers['set-cookie']).toBeUndefined();
    });

    it('an invalid token is 401 and sets no cookie', async () => {
      const res = await t.http
        .post('/v1/sessions')
        .send({ token: 'slp_pat_not-a-token' })
        .expect(401);
      expectError(res.body, ErrorCode.Unauthorized);
      expect(res.headers['set-cookie']).toBeUndefined();
    });

    it('an unknown cookie is 401; no cookie and no token is 401', async () => {
      const res = await t.http
        .get('/v1/projects')
        .set('Cookie', 'slipway_session=forged')
        .expect(401);
      expect(expectError(res.body, ErrorCode.Unauthorized).message).toMatch(/not valid/);
      await t.http.get('/v1/sessions/current').expect(401);
    });

    it('a request made with a token has no current session: 404', async () => {
      const res = await t.http.get('/v1/sessions/current').set(bearer(user.token)).expect(404);
      expectError(res.body, ErrorCode.NotFound);
    });
  });
});
