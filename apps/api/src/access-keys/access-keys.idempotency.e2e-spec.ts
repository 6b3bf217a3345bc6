import { createHash, randomUUID } from 'node:crypto';
import { stringify } from 'safe-stable-stringify';
import {
  createTenant,
  expectError,
  postAccessKey,
  uniqueName,
  type TestTenant,
} from '../../test/support/fixtures';
import { bearer, startTestApp, type TestApp } from '../../test/support/test-app';

interface KeyView {
  id: string;
  name: string;
  key?: string;
}

const KEY_FORMAT = /^slp_ak_[A-Za-z0-9_-]{40}$/;

/** Idempotency-Key on POST /v1/access-keys; the interceptor lives in src/idempotency. */
describe('access keys: Idempotency-Key', () => {
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

  async function countKeys(token: string): Promise<number> {
    const res = await t.http.get('/v1/access-keys').set(bearer(token)).expect(200);
    return (res.body as { pagination: { total: number } }).pagination.total;
  }
  /** SHA-256 over method, path and body, exactly as IdempotencyInterceptor computes it. */
  const requestHash = (body: object): string =>
    createHash('sha256')
      .update(stringify({ method: 'POST', path: '/v1/access-keys', body }) ?? '')
      .digest('hex');

  it('replays the stored answer for the same key and body and creates nothing new', async () => {
    const tenant = await createTenant(t);
    const body = { name: 'ci', project_id: tenant.projectId };
    const key = uniqueName('idem');
    const first = await postAccessKey(t, tenant.user.token, body, key).expect(200);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    const replay = await postAccessKey(t, tenant.user.token, body, key).expect(200);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body).toEqual(first.body);
    expect((replay.body as { data: KeyView }).data.key).toMatch(KEY_FORMAT);
    const reordered = { project_id: tenant.projectId, name: 'ci' };
    const again = await postAccessKey(t, tenant.user.token, reordered, key).expect(200);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(await countKeys(tenant.user.token)).toBe(1);
  });

  it('keeps the stored answer sealed, so the key shown once is not readable in the database', async () => {
    const tenant = await createTenant(t);
    const key = uniqueName('idem');
    const res = await postAccessKey(
      t,
      tenant.user.token,
      { name: 'sealed', org_id: tenant.orgId },
      key,
    ).expect(200);
    const plaintext = (res.body as { data: KeyView }).data.key ?? '';
    const rows = await t.dataSource.query<{ body: string }[]>(
      'SELECT response_body::text AS body FROM idempotency_records WHERE key = $1',
      [key],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]?.body).not.toContain(plaintext);
    expect(rows[0]?.body).not.toContain('slp_ak_');
  });

  it('refuses the same key with a different body with 422', async () => {
    const key = uniqueName('idem');
    await postAccessKey(t, a.user.token, { name: 'one', org_id: a.orgId }, key).expect(200);
    const before = await countKeys(a.user.token);
    const res = await postAccessKey(t, a.user.token, { name: 'two', org_id: a.orgId }, key);
    expect(res.status).toBe(422);
    expect(expectError(res.body, 'idempotency_key_reused').message).toContain(key);
    expect(await countKeys(a.user.token)).toBe(before);
  });

  it('answers 409 while a request with the key is still in flight', async () => {
    const key = uniqueName('idem');
    const body = { name: 'slow', org_id: a.orgId };
    await t.dataSource.query(
      `INSERT INTO idempotency_records (user_id, key, request_hash, state, expires_at)
       VALUES ($1, $2, $3, 'in_flight', now() + interval '1 day')`,
      [a.user.id, key, requestHash(body)],
    );
    const res = await postAccessKey(t, a.user.token, body, key);
    expect(res.status).toBe(409);
    expectError(res.body, 'idempotency_request_in_progress');
    // A different body with the same key is still a reuse, in flight or not.
    const other = await postAccessKey(t, a.user.token, { ...body, name: 'other' }, key);
    expect(other.status).toBe(422);
  });

  it('answers 409 for a record put back in flight; a stale or expired record frees the key', async () => {
    const key = uniqueName('idem');
    const body = { name: 'stale', org_id: a.orgId };
    await postAccessKey(t, a.user.token, body, key).expect(200);
    await t.dataSource.query(
      `UPDATE idempotency_records SET state = 'in_flight' WHERE user_id = $1 AND key = $2`,
      [a.user.id, key],
    );
    expect((await postAccessKey(t, a.user.token, body, key)).status).toBe(409);
    await t.dataSource.query(
      `UPDATE idempotency_records SET created_at = now() - interval '10 minutes'
       WHERE user_id = $1 AND key = $2`,
      [a.user.id, key],
    );
    const retry = await postAccessKey(t, a.user.token, body, key).expect(200);
    expect(retry.headers['idempotent-replayed']).toBeUndefined();
    // Past its expiry a record no longer binds the key, even to another body.
    await t.dataSource.query(
      `UPDATE idempotency_records SET expires_at = now() - interval '1 second'
       WHERE user_id = $1 AND key = $2`,
      [a.user.id, key],
    );
    const reused = await postAccessKey(t, a.user.token, { ...body, name: 'later' }, key).expect(
      200,
    );
    expect((reused.body as { data: KeyView }).data.name).toBe('later');
  });

  it('scopes keys to the caller: another user with the same key is independent', async () => {
    const key = uniqueName('idem');
    const mine = { name: 'shared', org_id: a.orgId };
    const first = await postAccessKey(t, a.user.token, mine, key).expect(200);
    // The very same request from another user must not replay a's stored key.
    const stolen = await postAccessKey(t, b.user.token, mine, key);
    expect(stolen.status).toBe(404);
    expect(JSON.stringify(stolen.body)).not.toContain((first.body as { data: KeyView }).data.key);
    const theirs = await postAccessKey(
      t,
      b.user.token,
      { name: 'shared', org_id: b.orgId },
      key,
    ).expect(200);
    expect(theirs.headers['idempotent-replayed']).toBeUndefined();
    expect((theirs.body as { data: KeyView }).data.id).not.toBe(
      (first.body as { data: KeyView }).data.id,
    );
  });

  it.each([
    ['with spaces', 'has spaces'],
    ['longer than 255 characters', 'k'.repeat(256)],
  ])('refuses a malformed key (%s) with 400', async (_label, key) => {
    const before = await countKeys(a.user.token);
    const res = await postAccessKey(t, a.user.token, { name: 'x', org_id: a.orgId }, key);
    expect(res.status).toBe(400);
    expect(expectError(res.body, 'validation_failed').message).toMatch(/^Idempotency-Key: /);
    expect(await countKeys(a.user.token)).toBe(before);
  });

  it('accepts a key of exactly 255 characters', async () => {
    await postAccessKey(t, a.user.token, { name: 'x', org_id: a.orgId }, 'k'.repeat(255)).expect(
      200,
    );
  });

  it('frees the key when the request fails, so a corrected retry may use it', async () => {
    const key = uniqueName('idem');
    const missing = await postAccessKey(
      t,
      a.user.token,
      { name: 'x', project_id: randomUUID() },
      key,
    );
    expect(missing.status).toBe(404);
    const invalid = await postAccessKey(t, a.user.token, { name: '', org_id: a.orgId }, key);
    expect(invalid.status).toBe(400);
    const rows = await t.dataSource.query<unknown[]>(
      'SELECT id FROM idempotency_records WHERE user_id = $1 AND key = $2',
      [a.user.id, key],
    );
    expect(rows).toHaveLength(0);
    const fixed = await postAccessKey(t, a.user.token, { name: 'x', project_id: a.projectId }, key);
    expect(fixed.status).toBe(200);
    expect(fixed.headers['idempotent-replayed']).toBeUndefined();
    const replay = await postAccessKey(
      t,
      a.user.token,
      { name: 'x', project_id: a.projectId },
      key,
    );
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body).toEqual(fixed.body);
  });
});
