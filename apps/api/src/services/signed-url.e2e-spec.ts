import { ErrorCode, edgeTokenSigner, type ServiceResource } from '@slipway/contracts';
import {
  adminDefaults,
  createService,
  createTenant,
  expectError,
  type TestTenant,
  uniqueName,
} from '../../test/support/fixtures';
import { describeCredentialChecks, withToken } from '../../test/support/credentials';
import { bearer, startTestApp, TEST_SECRET_KEY, type TestApp } from '../../test/support/test-app';

interface SignedUrl {
  url: string;
  expires_at: string;
}

describe('POST /v1/services/{id}/signed-url', () => {
  let t: TestApp;
  let projectId: string;
  let auth: { Authorization: string };
  let other: TestTenant;
  let service: ServiceResource;

  beforeAll(async () => {
    t = await startTestApp({ overrides: { appsDomain: 'apps.test.example' } });
    projectId = (await adminDefaults(t)).projectId;
    auth = bearer(t.adminToken);
    other = await createTenant(t);
    service = await createService(t, { projectId });
  });
  afterAll(async () => {
    await t.close();
  });

  function sign(id: string, body: object, as = auth) {
    return t.http.post(`/v1/services/${id}/signed-url`).set(as).send(body);
  }

  it('answers an https URL on the hostname carrying a token the edge accepts until expires_at', async () => {
    const before = Date.now();
    const res = await sign(service.id, { ttl_seconds: 600 }).expect(200);
    const { url, expires_at } = (res.body as { data: SignedUrl }).data;
    expect(Object.keys((res.body as { data: SignedUrl }).data).sort()).toEqual([
      'expires_at',
      'url',
    ]);
    const parsed = new URL(url);
    expect(parsed.protocol).toBe('https:');
    expect(parsed.host).toBe(service.hostname);
    expect(parsed.pathname).toBe('/');
    expect([...parsed.searchParams.keys()]).toEqual(['edge_token']);
    const token = parsed.searchParams.get('edge_token') ?? '';
    expect(token).toMatch(/^slp_et_/);

    const expiresAt = Date.parse(expires_at);
    expect(expiresAt).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 + 600_000);
    expect(expiresAt).toBeLessThanOrEqual(Date.now() + 600_000);
    const signer = edgeTokenSigner(TEST_SECRET_KEY);
    expect(signer.verify(token, service.id)).toEqual({
      ok: true,
      claims: { serviceId: service.id, expiresAt: expiresAt / 1000 },
    });
    expect(signer.verify(token, service.id, expiresAt)).toEqual({ ok: false, reason: 'expired' });
    const otherService = await createService(t, { projectId });
    expect(signer.verify(token, otherService.id).ok).toBe(false);
  });

  it('defaults to an hour and accepts the bounds 1 and 86400', async () => {
    for (const [body, seconds] of [
      [{}, 3600],
      [{ ttl_seconds: 1 }, 1],
      [{ ttl_seconds: 86_400 }, 86_400],
    ] as const) {
      const before = Date.now();
      const res = await sign(service.id, body).expect(200);
      const after = Date.now();
      // Expiry is in whole seconds: the signing second, floored, plus the TTL.
      const expiresAt = Date.parse((res.body as { data: SignedUrl }).data.expires_at);
      expect(expiresAt).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 + seconds * 1000);
      expect(expiresAt).toBeLessThanOrEqual(after + seconds * 1000);
    }
  });

  it.each([
    [{ ttl_seconds: 0 }, 'ttl_seconds: must be at least 1'],
    [{ ttl_seconds: -5 }, 'ttl_seconds: must be at least 1'],
    [{ ttl_seconds: 86_401 }, 'ttl_seconds: must be at most 86400'],
    [{ ttl_seconds: 1.5 }, 'ttl_seconds: must be an integer'],
    [{ ttl_seconds: '60' }, 'ttl_seconds: must be an integer'],
    [{ unknown: true }, 'unknown: is not a known field'],
    [{ hostname: 'elsewhere.example.com' }, "hostname: must be the service's hostname"],
  ])('answers 400 for %j', async (body, message) => {
    const res = await sign(service.id, body).expect(400);
    expect(expectError(res.body, ErrorCode.ValidationFailed).message).toContain(message);
  });

  it('signs for one of the service’s custom domains when asked', async () => {
    const withDomain = await createService(t, { projectId });
    const domain = `${uniqueName('signed')}.example.com`;
    await t.http
      .put(`/v1/services/${withDomain.id}`)
      .set(auth)
      .send({ domains: [domain] })
      .expect(200);
    const res = await sign(withDomain.id, { hostname: domain }).expect(200);
    expect(new URL((res.body as { data: SignedUrl }).data.url).host).toBe(domain);
  });

  it("answers 404 for another org's service and for an unknown one", async () => {
    const foreign = await createService(t, { token: other.user.token, projectId: other.projectId });
    expectError((await sign(foreign.id, {}).expect(404)).body, ErrorCode.NotFound);
    expectError(
      (await sign('00000000-0000-4000-8000-000000000000', {}).expect(404)).body,
      ErrorCode.NotFound,
    );
    const bad = await sign('not-a-uuid', {}).expect(400);
    expectError(bad.body, ErrorCode.ValidationFailed);
  });

  describeCredentialChecks(
    () => t,
    () => [
      [
        'POST signed-url',
        (token) =>
          withToken(
            t.http
              .post('/v1/services/00000000-0000-4000-8000-000000000000/signed-url')
              .send({ ttl_seconds: 60 }),
            token,
          ),
      ],
    ],
  );
});
