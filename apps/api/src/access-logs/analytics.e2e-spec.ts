/**
 * The analytics route over access-log rows inserted as the edge writes them: the sums,
 * classes, percentiles and top lists of a window.
 */
import { type DataEnvelope, ErrorCode, type ServiceAnalyticsResource } from '@slipway/contracts';
import { describeCredentialChecks, withToken } from '../../test/support/credentials';
import {
  createService,
  createTenant,
  expectError,
  expectServiceNotFound,
  type TestTenant,
} from '../../test/support/fixtures';
import { bearer, startTestApp, type TestApp } from '../../test/support/test-app';

const MINUTE = 60_000;

interface Seed {
  ago: number;
  path: string;
  status: number;
  durationMs: number;
  bytesIn: number;
  bytesOut: number;
  clientIp: string | null;
}

const seed = (
  ago: number,
  path: string,
  status: number,
  durationMs: number,
  bytesIn: number,
  bytesOut: number,
  clientIp: string | null,
): Seed => ({ ago, path, status, durationMs, bytesIn, bytesOut, clientIp });

// Durations 10..100 ms over all ten rows: p50 55, p95 95.5, p99 99.1 (interpolated).
const SEEDS: Seed[] = [
  // The last minute: `?since=60` holds these six.
  seed(5_000, '/api/orders', 200, 10, 100, 1000, '203.0.113.1'),
  seed(10_000, '/api/orders', 201, 20, 200, 2000, '203.0.113.1'),
  seed(15_000, '/api/orders', 404, 30, 0, 300, '203.0.113.2'),
  seed(20_000, '/health', 200, 40, 0, 50, '203.0.113.2'),
  seed(25_000, '/health', 503, 50, 0, 60, '203.0.113.1'),
  seed(30_000, '/ws', 101, 60, 500, 5000, null),
  // Older.
  seed(5 * MINUTE, '/api/items', 500, 70, 10, 20, '198.51.100.9'),
  seed(10 * MINUTE, '/api/items', 302, 80, 0, 0, '198.51.100.9'),
  seed(20 * MINUTE, '/api/orders', 200, 90, 0, 0, '198.51.100.9'),
  seed(120 * MINUTE, '/old', 200, 100, 1, 1, '192.0.2.1'),
];

describe('service analytics', () => {
  let t: TestApp;
  let tenant: TestTenant;
  let serviceId: string;
  /** What the seeds' ages count from: set just before they are stored (see access-logs). */
  let now = Date.now();
  const admin = () => bearer(t.adminToken);
  const at = (ago: number): string => new Date(now - ago).toISOString();

  async function insert(id: string, seeds: Seed[]): Promise<void> {
    await t.dataSource.query(
      `INSERT INTO access_logs (time, service_id, method, path, status, duration_ms, bytes_in,
                                bytes_out, client_ip, user_agent, request_id)
       SELECT * FROM unnest($1::timestamptz[], $2::uuid[], $3::text[], $4::text[], $5::smallint[],
                            $6::float8[], $7::bigint[], $8::bigint[], $9::text[], $10::text[],
                            $11::text[])`,
      [
        seeds.map((s) => new Date(now - s.ago)),
        seeds.map(() => id),
        seeds.map(() => 'GET'),
        seeds.map((s) => s.path),
        seeds.map((s) => s.status),
        seeds.map((s) => s.durationMs),
        seeds.map((s) => s.bytesIn),
        seeds.map((s) => s.bytesOut),
        seeds.map((s) => s.clientIp),
        seeds.map(() => 'curl/8.5.0'),
        seeds.map((_, i) => `req-${i}`),
      ],
    );
  }

  async function analytics(query = '', id = serviceId): Promise<ServiceAnalyticsResource> {
    const res = await t.http.get(`/v1/services/${id}/analytics${query}`).set(admin()).expect(200);
    return (res.body as DataEnvelope<ServiceAnalyticsResource>).data;
  }

  beforeAll(async () => {
    t = await startTestApp();
    tenant = await createTenant(t);
    serviceId = (await createService(t, { prefix: 'measured' })).id;
    now = Date.now();
    await insert(serviceId, SEEDS);
    // Another service's rows must never count.
    await insert((await createService(t, { prefix: 'other' })).id, SEEDS);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('sums up every retained row: counts, classes, percentiles, bytes and top lists', async () => {
    expect(await analytics()).toEqual({
      service_id: serviceId,
      start: null,
      end: null,
      requests: 10,
      status_classes: { '1xx': 1, '2xx': 5, '3xx': 1, '4xx': 1, '5xx': 2 },
      error_ratio: 0.2,
      latency_ms: { p50: 55, p95: 95.5, p99: 99.1 },
      bytes_in: 811,
      bytes_out: 8431,
      // Ties in byte order: /api/items before /health, /old before /ws.
      top_paths: [
        { path: '/api/orders', requests: 4 },
        { path: '/api/items', requests: 2 },
        { path: '/health', requests: 2 },
        { path: '/old', requests: 1 },
        { path: '/ws', requests: 1 },
      ],
      // The WebSocket row has no client address: it is left out here only.
      top_client_ips: [
        { client_ip: '198.51.100.9', requests: 3 },
        { client_ip: '203.0.113.1', requests: 3 },
        { client_ip: '203.0.113.2', requests: 2 },
        { client_ip: '192.0.2.1', requests: 1 },
      ],
    } satisfies ServiceAnalyticsResource);
  });

  it('keeps the `top` entries of each list', async () => {
    const { top_paths, top_client_ips, requests } = await analytics('?top=1');
    expect(requests).toBe(10);
    expect(top_paths).toEqual([{ path: '/api/orders', requests: 4 }]);
    expect(top_client_ips).toEqual([{ client_ip: '198.51.100.9', requests: 3 }]);
  });

  it('counts the last `since` seconds, echoing the window', async () => {
    const before = Date.now();
    const found = await analytics('?since=60');
    const start = Date.parse(found.start ?? '');
    expect(start).toBeGreaterThanOrEqual(before - 60_000);
    expect(start).toBeLessThanOrEqual(Date.now() - 60_000);
    expect(found).toMatchObject({
      end: null,
      requests: 6,
      status_classes: { '1xx': 1, '2xx': 3, '3xx': 0, '4xx': 1, '5xx': 1 },
      latency_ms: { p50: 35, p95: 57.5, p99: 59.5 },
      bytes_in: 800,
      bytes_out: 8410,
      top_paths: [
        { path: '/api/orders', requests: 3 },
        { path: '/health', requests: 2 },
        { path: '/ws', requests: 1 },
      ],
      top_client_ips: [
        { client_ip: '203.0.113.1', requests: 3 },
        { client_ip: '203.0.113.2', requests: 2 },
      ],
    });
    expect(found.error_ratio).toBeCloseTo(1 / 6, 10);
  });

  it('counts from start (inclusive) to end (exclusive)', async () => {
    // From the row of 10 minutes ago up to, not including, the one of 5 minutes ago.
    const found = await analytics(`?start=${at(10 * MINUTE)}&end=${at(5 * MINUTE)}`);
    expect(found).toMatchObject({
      start: at(10 * MINUTE),
      end: at(5 * MINUTE),
      requests: 1,
      status_classes: { '1xx': 0, '2xx': 0, '3xx': 1, '4xx': 0, '5xx': 0 },
      error_ratio: 0,
      latency_ms: { p50: 80, p95: 80, p99: 80 },
      top_paths: [{ path: '/api/items', requests: 1 }],
    });
    const two = await analytics(`?start=${at(15 * MINUTE)}&end=${at(MINUTE)}`);
    expect(two).toMatchObject({
      requests: 2,
      status_classes: { '3xx': 1, '5xx': 1 },
      error_ratio: 0.5,
      latency_ms: { p50: 75, p95: 79.5, p99: 79.9 },
      bytes_in: 10,
      bytes_out: 20,
      top_client_ips: [{ client_ip: '198.51.100.9', requests: 2 }],
    });
    // Only a start: up to now.
    expect((await analytics(`?start=${at(MINUTE)}`)).requests).toBe(6);
  });

  it('answers zeros and null percentiles for a window without requests', async () => {
    expect(await analytics('?start=2020-01-01T00:00:00Z&end=2020-01-02T00:00:00Z')).toEqual({
      service_id: serviceId,
      start: '2020-01-01T00:00:00.000Z',
      end: '2020-01-02T00:00:00.000Z',
      requests: 0,
      status_classes: { '1xx': 0, '2xx': 0, '3xx': 0, '4xx': 0, '5xx': 0 },
      error_ratio: 0,
      latency_ms: { p50: null, p95: null, p99: null },
      bytes_in: 0,
      bytes_out: 0,
      top_paths: [],
      top_client_ips: [],
    } satisfies ServiceAnalyticsResource);
  });

  it.each([
    ['?since=60&start=2026-01-01T00:00:00Z', 'since: cannot be combined with start or end'],
    ['?since=60&end=2026-01-01T00:00:00Z', 'since: cannot be combined with start or end'],
    ['?since=0', 'since: must be at least 1'],
    ['?since=soon', 'since: must be an integer number of seconds'],
    ['?start=yesterday', 'start: must be an ISO 8601 date-time'],
    ['?end=2026-01-31T09:00:00', 'end: must be an ISO 8601 date-time with a time zone'],
    ['?start=2026-02-01T00:00:00Z&end=2026-01-01T00:00:00Z', 'start: must be before end'],
    ['?top=0', 'top: must be at least 1'],
    ['?top=51', 'top: must be at most 50'],
    ['?top=2.5', 'top: must be an integer'],
    ['?limit=5', 'limit: is not a known field'],
  ])('answers 400 naming the field for %s', async (query, message) => {
    const res = await t.http
      .get(`/v1/services/${serviceId}/analytics${query}`)
      .set(admin())
      .expect(400);
    expect(expectError(res.body, ErrorCode.ValidationFailed).message).toContain(message);
  });

  it('answers 400 for a service id that is not a UUID', async () => {
    const res = await t.http.get('/v1/services/not-a-uuid/analytics').set(admin()).expect(400);
    expect(expectError(res.body, ErrorCode.ValidationFailed).message).toBe(
      "id: must be a UUID (got 'not-a-uuid')",
    );
  });

  it('answers 404 for an unknown service and for one of another tenant', async () => {
    await expectServiceNotFound(
      t,
      (id) => `/v1/services/${id}/analytics`,
      serviceId,
      tenant.user.token,
    );
  });

  describeCredentialChecks(
    () => t,
    () => [
      [
        'GET analytics',
        (token) => withToken(t.http.get(`/v1/services/${serviceId}/analytics`), token),
      ],
    ],
  );
});
