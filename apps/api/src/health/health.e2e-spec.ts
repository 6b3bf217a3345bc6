import { startTestApp, type TestApp } from '../../test/support/test-app';

describe('health', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('GET /healthz answers 200 without credentials', async () => {
    const res = await t.http.get('/healthz').expect(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  it('GET /readyz reports PostgreSQL and Redis reachable', async () => {
    const res = await t.http.get('/readyz').expect(200);
    expect(res.body).toEqual({ status: 'ok', checks: { postgres: 'ok', redis: 'ok' } });
  });
});

describe('readiness with Redis unreachable', () => {
  let t: TestApp;
  beforeAll(async () => {
    // Port 1 on loopback: nothing listens there, so every connection is refused.
    t = await startTestApp({ overrides: { 'redis.url': 'redis://127.0.0.1:1' } });
  });
  afterAll(async () => {
    await t.close();
  });

  it('GET /readyz answers 503 and names the failing dependency', async () => {
    const res = await t.http.get('/readyz').expect(503);
    expect(res.body).toEqual({
      status: 'unavailable',
      checks: { postgres: 'ok', redis: 'unreachable' },
    });
  });
});
