/**
 * The access-logs route over rows inserted as the edge writes them, and their removal with
 * the service.
 */
import { type AccessLogResource, ErrorCode, type ListEnvelope } from '@slipway/contracts';
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
  method: string;
  path: string;
  status: number;
}

// Newest first by age: the order the route must answer in.
const SEEDS: Seed[] = [
  { ago: 10_000, method: 'GET', path: '/api/orders', status: 200 },
  { ago: 20_000, method: 'POST', path: '/api/orders', status: 201 },
  { ago: 30_000, method: 'GET', path: '/health', status: 200 },
  { ago: 2 * MINUTE, method: 'DELETE', path: '/API/Orders/7', status: 404 },
  { ago: 5 * MINUTE, method: 'GET', path: '/ws', status: 101 },
  { ago: 30 * MINUTE, method: 'PUT', path: '/api/items', status: 502 },
];

describe('access logs', () => {
  let t: TestApp;
  let tenant: TestTenant;
  let serviceId: string;
  /**
   * What the seeds' ages count from: set just before they are stored, not when this file
   * loads, so that a slow start of the app (a loaded machine) does not age them out of the
   * relative windows (`?since=60` holds the row of 30 s ago).
   */
  let now = Date.now();
  const admin = () => bearer(t.adminToken);

  const newServiceId = async (prefix = 'logged'): Promise<string> =>
    (await createService(t, { prefix })).id;

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
        seeds.map((s) => s.method),
        seeds.map((s) => s.path),
        seeds.map((s) => s.status),
        seeds.map((_, i) => 1.5 + i),
        seeds.map((_, i) => i * 10),
        seeds.map((_, i) => i * 100),
        seeds.map(() => '203.0.113.7'),
        seeds.map(() => 'curl/8.5.0'),
        seeds.map((_, i) => `req-${i}`),
      ],
    );
  }

  async function list(query = '', id = serviceId): Promise<ListEnvelope<AccessLogResource>> {
    const res = await t.http.get(`/v1/services/${id}/access-logs${query}`).set(admin()).expect(200);
    return res.body as ListEnvelope<AccessLogResource>;
  }
  const paths = async (query = ''): Promise<string[]> =>
    (await list(query)).data.map((row) => `${row.method} ${row.path}`);
  const all = SEEDS.map((s) => `${s.method} ${s.path}`);

  beforeAll(async () => {
    t = await startTestApp();
    tenant = await createTenant(t);
    serviceId = await newServiceId();
    now = Date.now();
    await insert(serviceId, SEEDS);
    // Another service's rows must never show up.
    await insert(await newServiceId('other'), SEEDS.slice(0, 2));
  });
  afterAll(async () => {
    await t?.close();
  });

  it('lists every retained row newest first, each with every field', async () => {
    const page = await list();
    expect(page.data.map((row) => `${row.method} ${row.path}`)).toEqual(all);
    expect(page.data[0]).toEqual({
      time: new Date(now - 10_000).toISOString(),
      method: 'GET',
      path: '/api/orders',
      status: 200,
      duration_ms: 1.5,
      bytes_in: 0,
      bytes_out: 0,
      client_ip: '203.0.113.7',
      user_agent: 'curl/8.5.0',
      request_id: 'req-0',
    } satisfies AccessLogResource);
    expect(page.data[1]).toMatchObject({ duration_ms: 2.5, bytes_in: 10, bytes_out: 100 });
  });

  it('keeps the newest `limit` rows', async () => {
    expect(await paths('?limit=2')).toEqual(all.slice(0, 2));
  });

  it('filters by since and by start/end', async () => {
    expect(await paths('?since=60')).toEqual(all.slice(0, 3));
    const start = new Date(now - 10 * MINUTE).toISOString();
    const end = new Date(now - MINUTE).toISOString();
    expect(await paths(`?start=${start}&end=${end}`)).toEqual(all.slice(3, 5));
  });

  it('filters by status, method and path_contains (ignoring case), together', async () => {
    expect(await paths('?status=200,404')).toEqual([all[0], all[2], all[3]]);
    expect(await paths('?method=post,delete')).toEqual([all[1], all[3]]);
    expect(await paths('?path_contains=ORDERS')).toEqual([all[0], all[1], all[3]]);
    expect(await paths('?status=200&method=GET&path_contains=/api')).toEqual([all[0]]);
    expect(await paths('?status=503')).toEqual([]);
  });

  it.each([
    ['?limit=0', 'limit: must be at least 1'],
    ['?limit=1001', 'limit: must be at most 1000'],
    ['?since=soon', 'since: must be an integer number of seconds'],
    ['?since=60&start=2026-01-01T00:00:00Z', 'since: cannot be combined with start or end'],
    ['?start=yesterday', 'start: must be an ISO 8601 date-time'],
    ['?status=200,abc', "status: 'abc' is not an HTTP status"],
    ['?status=600', "status: '600' is not an HTTP status"],
    ['?status=200,,404', 'status: must be a comma-separated list without empty items'],
    ['?method=GET,FETCH', "method: 'FETCH' is not an HTTP method"],
    ['?status=200&status=404', 'status: must be a comma-separated list, given once'],
    [`?path_contains=${'x'.repeat(257)}`, 'path_contains: must be at most 256 characters'],
  ])('answers 400 naming the field for %.40s', async (query, message) => {
    const res = await t.http
      .get(`/v1/services/${serviceId}/access-logs${query}`)
      .set(admin())
      .expect(400);
    expect(expectError(res.body, ErrorCode.ValidationFailed).message).toContain(message);
  });

  it('answers 404 for an unknown service and for one of another tenant', async () => {
    await expectServiceNotFound(
      t,
      (id) => `/v1/services/${id}/access-logs`,
      serviceId,
      tenant.user.token,
    );
  });

  it('deleting a service deletes its access logs, and only its', async () => {
    const doomed = await newServiceId('doomed');
    await insert(doomed, SEEDS.slice(0, 1));
    const count = async (id: string): Promise<number> =>
      (
        await t.dataSource.query<{ n: number }[]>(
          'SELECT count(*)::int AS n FROM access_logs WHERE service_id = $1',
          [id],
        )
      )[0]?.n ?? -1;
    expect(await count(doomed)).toBe(1);
    await t.http.delete(`/v1/services/${doomed}`).set(admin()).expect(200);
    expect(await count(doomed)).toBe(0);
    expect(await count(serviceId)).toBe(SEEDS.length);
  });

  describeCredentialChecks(
    () => t,
    () => [
      [
        'GET access-logs',
        (token) => withToken(t.http.get(`/v1/services/${serviceId}/access-logs`), token),
      ],
    ],
  );
});
