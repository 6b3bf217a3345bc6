import { ErrorCode } from '@slipway/contracts';
import type { Test } from 'supertest';
import { createUser, expectError } from './fixtures';
import { bearer, type TestApp } from './test-app';

/** A route call with the given token, or with no Authorization header when none is given. */
export type RouteCall = (token?: string) => Test;

/** A PAT that existed and was revoked by its owner. */
export async function revokedToken(t: TestApp): Promise<string> {
  const user = await createUser(t);
  const created = await t.http
    .post('/v1/tokens')
    .set(bearer(user.token))
    .send({ name: 'short-lived' })
    .expect(200);
  const token = (created.body as { data: { id: string; token: string } }).data;
  await t.http.delete(`/v1/tokens/${token.id}`).set(bearer(user.token)).expect(200);
  return token.token;
}

export function withToken(req: Test, token?: string): Test {
  return token ? req.set(bearer(token)) : req;
}

/**
 * The credential cases every authenticated route must refuse with 401: no header, an unknown
 * token and a revoked one. `routes` are built lazily because the app starts in beforeAll.
 */
export function describeCredentialChecks(
  app: () => TestApp,
  routes: () => [string, RouteCall][],
): void {
  describe('credentials', () => {
    it('every route answers 401 without an Authorization header', async () => {
      for (const [route, call] of routes()) {
        const res = await call();
        expect([route, res.status]).toEqual([route, 401]);
        expect(expectError(res.body, ErrorCode.Unauthorized).message).toMatch(
          /Missing Authorization/,
        );
      }
    });

    it('every route answers 401 for an unknown token', async () => {
      for (const [route, call] of routes()) {
        const res = await call('slp_pat_does-not-exist');
        expect([route, res.status]).toEqual([route, 401]);
        expect(expectError(res.body, ErrorCode.Unauthorized).message).toBe(
          'The token is not valid',
        );
      }
    });

    it('every route answers 401 for a revoked token', async () => {
      const revoked = await revokedToken(app());
      for (const [route, call] of routes()) {
        const res = await call(revoked);
        expect([route, res.status]).toEqual([route, 401]);
        expect(expectError(res.body, ErrorCode.Unauthorized).message).toBe(
          'The token has been revoked',
        );
      }
    });
  });
}
