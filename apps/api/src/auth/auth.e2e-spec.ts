import { ErrorCode } from '@slipway/contracts';
import { createUser, expectError } from '../../test/support/fixtures';
import { bearer, startTestApp, type TestApp } from '../../test/support/test-app';

describe('authentication and the error body', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ overrides: { 'http.bodyLimitBytes': 2048 } });
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers 401 without an Authorization header, saying what to send', async () => {
    const res = await t.http.get('/v1/me').expect(401);
    expect(expectError(res.body, ErrorCode.Unauthorized).message).toContain(
      'Bearer <personal access token>',
    );
  });

  it.each(['Basic dXNlcjpwYXNz', 'Bearer', 'Bearer a b', 'Token slp_pat_x'])(
    'answers 401 for the malformed header %j',
    async (header) => {
      const res = await t.http.get('/v1/me').set('Authorization', header).expect(401);
      expectError(res.body, ErrorCode.Unauthorized);
    },
  );

  it('answers 401 for an unknown token', async () => {
    const res = await t.http
      .get('/v1/me')
      .set(bearer('slp_pat_unknown_token_value_123456'))
      .expect(401);
    expect(expectError(res.body, ErrorCode.Unauthorized).message).toBe('The token is not valid');
  });

  it('answers 401 for a revoked token, and the message says so', async () => {
    const user = await createUser(t);
    const me = await t.http.get('/v1/tokens').set(bearer(user.token)).expect(200);
    const tokenId = (me.body as { data: { id: string }[] }).data[0]?.id;
    await t.http.delete(`/v1/tokens/${tokenId}`).set(bearer(user.token)).expect(200);
    const res = await t.http.get('/v1/me').set(bearer(user.token)).expect(401);
    expect(expectError(res.body, ErrorCode.Unauthorized).message).toBe(
      'The token has been revoked',
    );
  });

  it('answers 401 for an expired token', async () => {
    const user = await createUser(t);
    await t.dataSource.query(
      "UPDATE personal_access_tokens SET expires_at = now() - interval '1 minute' WHERE user_id = $1",
      [user.id],
    );
    const res = await t.http.get('/v1/me').set(bearer(user.token)).expect(401);
    expect(expectError(res.body, ErrorCode.Unauthorized).message).toContain('expired');
  });

  it('refuses an Access Key on the management API with 401 and says which credential to use', async () => {
    const orgs = await t.http.get('/v1/orgs').set(bearer(t.adminToken)).expect(200);
    const orgId = (orgs.body as { data: { id: string }[] }).data[0]?.id;
    const created = await t.http
      .post('/v1/access-keys')
      .set(bearer(t.adminToken))
      .send({ name: 'k', org_id: orgId })
      .expect(200);
    const key = (created.body as { data: { key: string } }).data.key;
    const res = await t.http.get('/v1/me').set(bearer(key)).expect(401);
    expect(expectError(res.body, ErrorCode.Unauthorized).message).toContain(
      'Personal Access Token',
    );
  });

  it('refuses a service token on the management API with 401', async () => {
    const res = await t.http.get('/v1/me').set(bearer('slp_st_some_service_token')).expect(401);
    expect(expectError(res.body, ErrorCode.Unauthorized).message).toContain(
      'Personal Access Token',
    );
  });

  it('never stores a token in plaintext', async () => {
    const rows = await t.dataSource.query<{ token_hash: string }[]>(
      'SELECT token_hash FROM personal_access_tokens',
    );
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row.token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(rows)).not.toContain(t.adminToken);
  });

  it('answers an unknown route with 404 route_not_found in the error shape', async () => {
    const res = await t.http.get('/v1/nothing-here').set(bearer(t.adminToken)).expect(404);
    expect(expectError(res.body, ErrorCode.RouteNotFound).message).toBe(
      'No route for GET /v1/nothing-here',
    );
    expectError((await t.http.post('/nowhere').expect(404)).body, ErrorCode.RouteNotFound);
  });

  it('answers malformed JSON with 400 malformed_json', async () => {
    const res = await t.http
      .post('/v1/orgs')
      .set(bearer(t.adminToken))
      .set('Content-Type', 'application/json')
      .send('{"name": "unterminated')
      .expect(400);
    expect(expectError(res.body, ErrorCode.MalformedJson).message).toContain('not valid JSON');
  });

  it('answers an oversize body with 413 payload_too_large naming the limit', async () => {
    const res = await t.http
      .post('/v1/orgs')
      .set(bearer(t.adminToken))
      .send({ name: 'x', description: 'y'.repeat(4096) })
      .expect(413);
    expect(expectError(res.body, ErrorCode.PayloadTooLarge).message).toContain('2048 bytes');
  });

  it('answers a JSON array where an object is expected with 400, not 500', async () => {
    const res = await t.http.post('/v1/orgs').set(bearer(t.adminToken)).send([1, 2]).expect(400);
    expectError(res.body, ErrorCode.ValidationFailed);
  });

  it('keeps a caller-supplied request id in the header and the error body', async () => {
    const res = await t.http.get('/v1/me').set('X-Request-Id', 'trace-abc-12345').expect(401);
    expect(res.headers['x-request-id']).toBe('trace-abc-12345');
    expect(expectError(res.body, ErrorCode.Unauthorized).request_id).toBe('trace-abc-12345');
  });

  it('replaces an unusable request id with a generated one', async () => {
    const res = await t.http.get('/v1/me').set('X-Request-Id', 'bad id with spaces').expect(401);
    const error = expectError(res.body, ErrorCode.Unauthorized);
    expect(error.request_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.headers['x-request-id']).toBe(error.request_id);
  });
});

describe('rate limiting', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ overrides: { 'rateLimit.requestsPerMinute': 3 } });
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers 429 with Retry-After once a token spends its budget, without touching other tokens', async () => {
    const user = await createUser(t);
    for (let i = 0; i < 3; i++) await t.http.get('/v1/me').set(bearer(user.token)).expect(200);
    const res = await t.http.get('/v1/me').set(bearer(user.token)).expect(429);
    expect(expectError(res.body, ErrorCode.RateLimited).message).toContain('retry in');
    expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number(res.headers['retry-after'])).toBeLessThanOrEqual(60);
    const another = await createUser(t);
    await t.http.get('/v1/me').set(bearer(another.token)).expect(200);
  });
});

describe('internal errors', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers 500 internal_error without leaking internals', async () => {
    await t.http.get('/v1/orgs').set(bearer(t.adminToken)).expect(200);
    // Break the schema under the running API: the next query fails inside TypeORM.
    await t.dataSource.query('ALTER TABLE org_memberships RENAME TO org_memberships_gone');
    const res = await t.http.get('/v1/orgs').set(bearer(t.adminToken)).expect(500);
    const error = expectError(res.body, ErrorCode.InternalError);
    expect(error.message).toBe(
      `An internal error occurred; quote request id ${error.request_id} when reporting it`,
    );
    expect(JSON.stringify(res.body)).not.toMatch(/org_memberships|relation|QueryFailed|at /);
  });
});
