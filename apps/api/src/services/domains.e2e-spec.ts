import { CHANNELS, ErrorCode, type RouteMessage, type ServiceResource } from '@slipway/contracts';
import Redis from 'ioredis';
import {
  adminDefaults,
  createService,
  createTenant,
  expectError,
  type TestTenant,
  uniqueName,
} from '../../test/support/fixtures';
import { describeCredentialChecks, withToken } from '../../test/support/credentials';
import { bearer, startTestApp, type TestApp } from '../../test/support/test-app';

const APPS_DOMAIN = 'apps.test.example';

describe('custom domains (PUT /v1/services/{id} domains)', () => {
  let t: TestApp;
  let projectId: string;
  let auth: { Authorization: string };
  let other: TestTenant;

  beforeAll(async () => {
    t = await startTestApp({ overrides: { appsDomain: APPS_DOMAIN } });
    projectId = (await adminDefaults(t)).projectId;
    auth = bearer(t.adminToken);
    other = await createTenant(t);
  });
  afterAll(async () => {
    await t.close();
  });

  function putDomains(id: string, domains: unknown, as = auth) {
    return t.http.put(`/v1/services/${id}`).set(as).send({ domains });
  }

  /** A domain no other test (or earlier run) holds. */
  const domain = (prefix = 'shop') => `${uniqueName(prefix)}.example.com`;

  it('starts with none, sets, replaces and clears the list, keeping it in every view', async () => {
    const service = await createService(t, { projectId });
    expect(service.domains).toEqual([]);
    const [a, b, c] = [domain('b'), domain('a'), domain('c')];

    const set = await putDomains(service.id, [a, b]).expect(200);
    expect((set.body as { data: ServiceResource }).data.domains).toEqual([a, b].sort());
    const got = await t.http.get(`/v1/services/${service.id}`).set(auth).expect(200);
    expect((got.body as { data: ServiceResource }).data.domains).toEqual([a, b].sort());
    const list = await t.http.get(`/v1/services?project_id=${projectId}`).set(auth).expect(200);
    const listed = (list.body as { data: ServiceResource[] }).data.find((s) => s.id === service.id);
    expect(listed?.domains).toEqual([a, b].sort());

    const replaced = await putDomains(service.id, [c, a]).expect(200);
    expect((replaced.body as { data: ServiceResource }).data.domains).toEqual([a, c].sort());
    const rows = await t.dataSource.query<{ domain: string }[]>(
      'SELECT domain FROM service_domains WHERE service_id = $1 ORDER BY domain',
      [service.id],
    );
    expect(rows.map((r) => r.domain)).toEqual([a, c].sort());

    const untouched = await t.http
      .put(`/v1/services/${service.id}`)
      .set(auth)
      .send({ description: 'other change' })
      .expect(200);
    expect((untouched.body as { data: ServiceResource }).data.domains).toEqual([a, c].sort());

    const cleared = await putDomains(service.id, []).expect(200);
    expect((cleared.body as { data: ServiceResource }).data.domains).toEqual([]);
    const after = await t.http.get(`/v1/services/${service.id}`).set(auth).expect(200);
    expect((after.body as { data: ServiceResource }).data.domains).toEqual([]);
  });

  it.each([
    ['not a list', 'shop.example.com', 'domains: must be a list of hostnames'],
    ['not strings', [42], 'domains: must be a list of hostnames'],
    ['a single label', ['localhost'], 'domains[0]: must be a fully qualified domain name'],
    ['uppercase', ['Shop.Example.com'], 'domains[0]: must be lowercase'],
    ['a wildcard', ['*.example.com'], 'domains[0]: wildcard domains are not supported'],
    ['an empty label', ['shop..example.com'], 'domains[0]: must not have empty labels'],
    ['a trailing dot', ['shop.example.com.'], 'domains[0]: must not have empty labels'],
    ['a bad label', ['-shop.example.com'], "domains[0]: has an invalid label '-shop'"],
    ['a long label', [`${'a'.repeat(64)}.example.com`], 'domains[0]: has an invalid label'],
    [
      'a long name',
      [`${Array.from({ length: 5 }, () => 'a'.repeat(60)).join('.')}.com`],
      'domains[0]: must be at most 253 characters',
    ],
    ['an IP address', ['10.0.0.1'], 'domains[0]: must be a name, not an IP address'],
    ['a URL', ['https://shop.example.com'], 'domains[0]: has an invalid label'],
    ['the apps domain', [APPS_DOMAIN], `domains[0]: must not be under the platform's apps domain`],
    ['under the apps domain', [`x.${APPS_DOMAIN}`], "must not be under the platform's apps domain"],
    ['a duplicate', ['a.example.com', 'a.example.com'], "domains[1]: duplicates 'a.example.com'"],
    [
      'too many',
      Array.from({ length: 11 }, (_, i) => `d${i}.example.com`),
      'domains: at most 10 per service (got 11)',
    ],
  ])('answers 400 for %s, changing nothing', async (_what, domains, message) => {
    const service = await createService(t, { projectId });
    await putDomains(service.id, ['keep.' + domain()]).expect(200);
    const res = await putDomains(service.id, domains).expect(400);
    expect(expectError(res.body, ErrorCode.ValidationFailed).message).toContain(message);
    const got = await t.http.get(`/v1/services/${service.id}`).set(auth).expect(200);
    expect((got.body as { data: ServiceResource }).data.domains).toHaveLength(1);
  });

  it("answers 409 for a domain another service holds, in any org, without naming it; the holder's release frees it", async () => {
    const holder = await createService(t, { token: other.user.token, projectId: other.projectId });
    const taken = domain('taken');
    await putDomains(holder.id, [taken], bearer(other.user.token)).expect(200);

    const service = await createService(t, { projectId });
    const mine = domain('mine');
    const res = await putDomains(service.id, [mine, taken]).expect(409);
    const error = expectError(res.body, ErrorCode.AlreadyExists);
    expect(error.message).toContain(`'${taken}'`);
    expect(error.message).toContain('already in use');
    expect(error.message).not.toContain(holder.id);
    expect(error.message).not.toContain(holder.name);
    // All or nothing: the free domain was not taken either.
    const got = await t.http.get(`/v1/services/${service.id}`).set(auth).expect(200);
    expect((got.body as { data: ServiceResource }).data.domains).toEqual([]);

    await putDomains(holder.id, [], bearer(other.user.token)).expect(200);
    const now = await putDomains(service.id, [mine, taken]).expect(200);
    expect((now.body as { data: ServiceResource }).data.domains).toEqual([mine, taken].sort());
  });

  it('frees the domains of a deleted service', async () => {
    const service = await createService(t, { projectId });
    const name = domain('gone');
    await putDomains(service.id, [name]).expect(200);
    const deleted = await t.http.delete(`/v1/services/${service.id}`).set(auth).expect(200);
    expect((deleted.body as { data: ServiceResource }).data.domains).toEqual([name]);
    const next = await createService(t, { projectId });
    await putDomains(next.id, [name]).expect(200);
  });

  it('republishes the route with the domains as hostnames, and without a removed one', async () => {
    const service = await createService(t, { projectId });
    await t.dataSource.query(
      `INSERT INTO service_routes (service_id, endpoints, version, updated_at)
       VALUES ($1, '[{"host":"127.0.0.1","port":9}]'::jsonb, 1, now())`,
      [service.id],
    );
    const messages: RouteMessage[] = [];
    const subscriber = new Redis(t.config.redis.url);
    try {
      await subscriber.subscribe(CHANNELS.routes);
      subscriber.on('message', (_channel: string, payload: string) => {
        const message = JSON.parse(payload) as RouteMessage;
        if (message.serviceId === service.id) messages.push(message);
      });
      const name = domain('routed');
      await putDomains(service.id, [name]).expect(200);
      await putDomains(service.id, []).expect(200);
      await waitFor(() => messages.length >= 2);
      expect(messages.map((m) => (m.type === 'upsert' ? m.hostnames : []))).toEqual([
        [service.hostname, name],
        [service.hostname],
      ]);
      expect(messages.every((m, i) => i === 0 || m.version > (messages[i - 1]?.version ?? 0))).toBe(
        true,
      );
    } finally {
      subscriber.disconnect();
    }
  });

  it("answers 404 for another org's service and for an unknown one", async () => {
    const foreign = await createService(t, { token: other.user.token, projectId: other.projectId });
    expectError((await putDomains(foreign.id, [domain()]).expect(404)).body, ErrorCode.NotFound);
    expectError(
      (await putDomains('00000000-0000-4000-8000-000000000000', [domain()]).expect(404)).body,
      ErrorCode.NotFound,
    );
  });

  describeCredentialChecks(
    () => t,
    () => [
      [
        'PUT domains',
        (token) =>
          withToken(
            t.http
              .put('/v1/services/00000000-0000-4000-8000-000000000000')
              .send({ domains: ['shop.example.com'] }),
            token,
          ),
      ],
    ],
  );
});

/** Generous by default: a loaded machine may deliver the messages seconds late. */
async function waitFor(check: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for route messages');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
