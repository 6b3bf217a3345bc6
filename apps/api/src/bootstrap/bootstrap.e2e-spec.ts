import { bearer, dropTestDatabase, startTestApp, type TestApp } from '../../test/support/test-app';

describe('bootstrap', () => {
  let first: TestApp;
  beforeAll(async () => {
    first = await startTestApp({
      overrides: { 'bootstrap.token': 'slp_pat_bootstrap_for_tests_0001' },
    });
  });
  afterAll(async () => {
    await first.close({ keepDatabase: true });
    await dropTestDatabase(first.databaseUrl);
  });

  it('creates an admin with org default, project default and a PAT with exactly the given value', async () => {
    const me = await first.http
      .get('/v1/me')
      .set(bearer('slp_pat_bootstrap_for_tests_0001'))
      .expect(200);
    expect(me.body.data).toMatchObject({ email: 'admin@slipway.local', is_admin: true });
    const orgs = await first.http.get('/v1/orgs').set(bearer(first.adminToken)).expect(200);
    expect((orgs.body as { data: { name: string; role: string }[] }).data).toEqual([
      expect.objectContaining({ name: 'default', role: 'owner' }),
    ]);
  });

  it('is idempotent: starting again on the same database creates nothing new', async () => {
    const count = async (table: string): Promise<number> =>
      (await first.dataSource.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM ${table}`))[0]
        ?.n ?? -1;
    const before = {
      users: await count('users'),
      orgs: await count('organizations'),
      projects: await count('projects'),
      tokens: await count('personal_access_tokens'),
      profiles: await count('resource_profiles'),
    };
    const second = await startTestApp({
      databaseUrl: first.databaseUrl,
      overrides: { 'bootstrap.token': 'slp_pat_bootstrap_for_tests_0001' },
    });
    try {
      await second.http.get('/v1/me').set(bearer('slp_pat_bootstrap_for_tests_0001')).expect(200);
    } finally {
      await second.close();
    }
    expect({
      users: await count('users'),
      orgs: await count('organizations'),
      projects: await count('projects'),
      tokens: await count('personal_access_tokens'),
      profiles: await count('resource_profiles'),
    }).toEqual(before);
    expect(before).toEqual({ users: 1, orgs: 1, projects: 1, tokens: 1, profiles: 6 });
  });
});
