/**
 * The metrics route: request series over rollup rows inserted as the edge writes them,
 * runtime usage from the Docker Engine (no instance running: zero) after the usage sampler's
 * history (rows inserted as it writes them, and its own passes), and a metric that cannot
 * be read (usage on the kubernetes runtime of a stand-in cluster without the metrics API)
 * failing alone.
 */
import { ErrorCode, type MetricName, type MetricSeriesResource } from '@slipway/contracts';
import { statusReply } from '@slipway/kube-client/testing';
import { describeCredentialChecks, withToken } from '../../test/support/credentials';
import {
  createService,
  createTenant,
  expectError,
  expectServiceNotFound,
  type TestTenant,
} from '../../test/support/fixtures';
import { startStandInCluster, type StandInCluster } from '../../test/support/stand-in-cluster';
import { bearer, startTestApp, type TestApp } from '../../test/support/test-app';
import { UsageSampler } from './usage-sampler';

const BUCKET = 10_000;

describe('metrics', () => {
  let t: TestApp;
  let tenant: TestTenant;
  let serviceId: string;
  // Two bucket boundaries within the last hour.
  const first = Math.floor((Date.now() - 5 * 60_000) / BUCKET) * BUCKET;
  const second = first + 3 * BUCKET;
  const admin = () => bearer(t.adminToken);

  const newServiceId = async (app: TestApp): Promise<string> =>
    (await createService(app, { prefix: 'measured' })).id;

  async function insertBuckets(
    app: TestApp,
    id: string,
    rows: [number, number, number, number | null][],
  ): Promise<void> {
    await app.dataSource.query(
      `INSERT INTO request_metrics (service_id, bucket_start, requests, errors_5xx, latency_p95_ms)
       SELECT * FROM unnest($1::uuid[], $2::timestamptz[], $3::int[], $4::int[], $5::float8[])`,
      [
        rows.map(() => id),
        rows.map(([start]) => new Date(start)),
        rows.map(([, requests]) => requests),
        rows.map(([, , errors]) => errors),
        rows.map(([, , , p95]) => p95),
      ],
    );
  }

  async function series(
    app: TestApp,
    id: string,
    query: string,
  ): Promise<Map<MetricName, MetricSeriesResource>> {
    const res = await app.http
      .get(`/v1/services/${id}/metrics${query}`)
      .set(bearer(app.adminToken))
      .expect(200);
    const body = res.body as { data: MetricSeriesResource[] };
    expect(Object.keys(body)).toEqual(['data']);
    return new Map(body.data.map((one) => [one.name, one]));
  }

  beforeAll(async () => {
    t = await startTestApp();
    tenant = await createTenant(t);
    serviceId = await newServiceId(t);
    // The first bucket came from two edges: counts add up, the larger p95 stands.
    await insertBuckets(t, serviceId, [
      [first, 30, 3, 40],
      [first, 20, 2, 55.5],
      [second, 5, 0, null],
    ]);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('answers one series per name, in the order asked, from the 10 s rollups', async () => {
    const res = await t.http
      .get(`/v1/services/${serviceId}/metrics?names=latency_p95,request_rate,error_rate`)
      .set(admin())
      .expect(200);
    const data = (res.body as { data: MetricSeriesResource[] }).data;
    expect(data.map((one) => one.name)).toEqual(['latency_p95', 'request_rate', 'error_rate']);
    const [p95, rate, errors] = data;
    const at = (ms: number): string => new Date(ms).toISOString();
    expect(rate).toEqual({
      name: 'request_rate',
      status: 'ok',
      points: [
        { time: at(first), value: 5 },
        { time: at(second), value: 0.5 },
      ],
    } satisfies MetricSeriesResource);
    expect(errors?.points).toEqual([
      { time: at(first), value: 0.5 },
      { time: at(second), value: 0 },
    ]);
    // A bucket with WebSocket tunnels only has no latency: no point.
    expect(p95?.points).toEqual([{ time: at(first), value: 55.5 }]);
  });

  it('limits the series to the window', async () => {
    const byName = await series(
      t,
      serviceId,
      `?names=request_rate&start=${new Date(second).toISOString()}`,
    );
    expect(byName.get('request_rate')?.points.map((p) => p.value)).toEqual([0.5]);
    const old = await series(t, serviceId, '?names=request_rate&since=60');
    expect(old.get('request_rate')?.points).toEqual([]);
  });

  it('reads cpu and memory from the runtime: a current point, zero with nothing running', async () => {
    const before = Date.now();
    const byName = await series(t, serviceId, '?names=cpu_usage,memory_usage');
    for (const name of ['cpu_usage', 'memory_usage'] as const) {
      const one = byName.get(name);
      expect(one).toMatchObject({ name, status: 'ok' });
      expect(one?.points).toHaveLength(1);
      expect(one?.points[0]?.value).toBe(0);
      expect(Date.parse(one?.points[0]?.time ?? '')).toBeGreaterThanOrEqual(before - 1000);
    }
    // A window that ended in the past holds no current reading.
    const past = await series(
      t,
      serviceId,
      `?names=cpu_usage&end=${new Date(Date.now() - 60_000).toISOString()}`,
    );
    expect(past.get('cpu_usage')).toEqual({ name: 'cpu_usage', status: 'ok', points: [] });
  });

  describe('usage history', () => {
    const SAMPLE_MS = 30_000;
    const sampleAt = (ms: number): number => Math.floor(ms / SAMPLE_MS) * SAMPLE_MS;

    async function insertSamples(id: string, rows: [number, number, number][]): Promise<void> {
      await t.dataSource.query(
        `INSERT INTO usage_samples (service_id, sampled_at, cpu_cores, memory_bytes)
         SELECT * FROM unnest($1::uuid[], $2::timestamptz[], $3::float8[], $4::bigint[])`,
        [
          rows.map(() => id),
          rows.map(([at]) => new Date(at)),
          rows.map(([, cpu]) => cpu),
          rows.map(([, , memory]) => memory),
        ],
      );
    }

    const samplesOf = (id: string) =>
      t.dataSource.query<{ at: Date; cpu: number; memory: string }[]>(
        `SELECT sampled_at AS at, cpu_cores AS cpu, memory_bytes AS memory
           FROM usage_samples WHERE service_id = $1 ORDER BY sampled_at`,
        [id],
      );

    it('plots the samples in the window, then a reading at now', async () => {
      const id = await newServiceId(t);
      const older = sampleAt(Date.now() - 20 * 60_000);
      const newer = older + SAMPLE_MS;
      await insertSamples(id, [
        [older, 0.25, 100_000_000],
        [newer, 0.5, 300_000_000],
        [older - 2 * 3600_000, 1, 1], // outside the last hour
      ]);
      const byName = await series(t, id, '?names=cpu_usage,memory_usage');
      const at = (ms: number): string => new Date(ms).toISOString();
      const cpu = byName.get('cpu_usage')?.points ?? [];
      expect(cpu.slice(0, 2)).toEqual([
        { time: at(older), value: 0.25 },
        { time: at(newer), value: 0.5 },
      ]);
      // Nothing runs now: the current reading is zero, after the history.
      expect(cpu).toHaveLength(3);
      expect(cpu[2]?.value).toBe(0);
      expect(byName.get('memory_usage')?.points.map((p) => p.value)).toEqual([
        100_000_000, 300_000_000, 0,
      ]);

      // A window that ended before now holds the history only.
      const past = await series(
        t,
        id,
        `?names=cpu_usage&start=${at(older - 60_000)}&end=${at(newer + 1)}`,
      );
      expect(past.get('cpu_usage')?.points).toEqual(cpu.slice(0, 2));
    });

    it('averages the samples of a long window into at most about 720 points', async () => {
      const id = await newServiceId(t);
      // A week is 840 s a point: two samples of one 840 s bin read as their average.
      const bin = Math.floor((Date.now() - 3 * 3600_000) / 840_000) * 840_000;
      await insertSamples(id, [
        [bin, 1, 200],
        [bin + SAMPLE_MS, 2, 400],
      ]);
      const week = await series(t, id, `?names=cpu_usage,memory_usage&since=${7 * 24 * 3600}`);
      const at = new Date(bin).toISOString();
      expect(week.get('cpu_usage')?.points[0]).toEqual({ time: at, value: 1.5 });
      expect(week.get('memory_usage')?.points[0]).toEqual({ time: at, value: 300 });
    });

    it('samples each serving service once an interval, and forgets samples past retention', async () => {
      const serving = await newServiceId(t);
      const idle = await newServiceId(t);
      await t.dataSource.query(`UPDATE services SET status = 'running' WHERE id = $1`, [serving]);
      const expired = Date.now() - 8 * 24 * 3600_000;
      await insertSamples(serving, [[sampleAt(expired), 3, 3]]);
      // Two passes well inside one interval write one row.
      if (Date.now() % SAMPLE_MS > SAMPLE_MS - 8_000) {
        await new Promise((resolve) => setTimeout(resolve, 8_000));
      }
      const before = Date.now();
      const sampler = t.app.get(UsageSampler);
      await sampler.sampleAll();
      await sampler.sampleAll();
      const rows = await samplesOf(serving);
      expect(rows).toHaveLength(1);
      expect(rows[0]?.at.getTime()).toBe(sampleAt(before));
      expect(rows[0]).toMatchObject({ cpu: 0, memory: '0' });
      // A service that is not running is not read.
      expect(await samplesOf(idle)).toEqual([]);
    });

    it('deleting a service deletes its samples', async () => {
      const doomed = await newServiceId(t);
      await insertSamples(doomed, [[sampleAt(Date.now() - 60_000), 1, 1]]);
      await t.http.delete(`/v1/services/${doomed}`).set(admin()).expect(200);
      expect(await samplesOf(doomed)).toEqual([]);
    });
  });

  it('answers every metric when no names are given', async () => {
    const byName = await series(t, serviceId, '');
    expect([...byName.keys()]).toEqual([
      'request_rate',
      'error_rate',
      'latency_p95',
      'cpu_usage',
      'memory_usage',
    ]);
  });

  it.each([
    ['?names=request_rate,rps', "names: 'rps' is not a metric"],
    ['?names=', "names: '' is not a metric"],
    ['?since=0', 'since: must be at least 1'],
    ['?start=2026-01-02T00:00:00Z&end=2026-01-01T00:00:00Z', 'start: must be before end'],
  ])('answers 400 naming the field for %s', async (query, message) => {
    const res = await t.http
      .get(`/v1/services/${serviceId}/metrics${query}`)
      .set(admin())
      .expect(400);
    expect(expectError(res.body, ErrorCode.ValidationFailed).message).toContain(message);
  });

  it('answers 404 for an unknown service and for one of another tenant', async () => {
    await expectServiceNotFound(
      t,
      (id) => `/v1/services/${id}/metrics`,
      serviceId,
      tenant.user.token,
    );
  });

  it('deleting a service deletes its request metrics', async () => {
    const doomed = await newServiceId(t);
    await insertBuckets(t, doomed, [[first, 1, 0, 1]]);
    await t.http.delete(`/v1/services/${doomed}`).set(admin()).expect(200);
    const rows = await t.dataSource.query<{ n: number }[]>(
      'SELECT count(*)::int AS n FROM request_metrics WHERE service_id = $1',
      [doomed],
    );
    expect(rows[0]?.n).toBe(0);
  });

  describe('on the kubernetes runtime of a cluster without the metrics API', () => {
    let k: TestApp;
    let id: string;
    let cluster: StandInCluster;
    beforeAll(async () => {
      cluster = await startStandInCluster();
      cluster.api.on((request) =>
        request.path.startsWith('/apis/metrics.k8s.io/')
          ? statusReply(404, 'NotFound', 'the server could not find the requested resource')
          : undefined,
      );
      k = await startTestApp({ overrides: { 'runtime.driver': 'kubernetes' } });
      id = await newServiceId(k);
      await insertBuckets(k, id, [[first, 10, 1, 12]]);
    });
    afterAll(async () => {
      await k?.close();
      await cluster?.close();
    });

    it('fails cpu and memory alone, each with its reason, and answers the rest', async () => {
      const byName = await series(k, id, '?names=cpu_usage,request_rate,memory_usage');
      for (const name of ['cpu_usage', 'memory_usage'] as const) {
        expect(byName.get(name)).toEqual({
          name,
          status: 'error',
          error: 'the cluster has no metrics API (install metrics-server)',
          points: [],
        });
      }
      expect(cluster.api.calls()).toContain('GET /apis/metrics.k8s.io/v1beta1');
      expect(byName.get('request_rate')).toEqual({
        name: 'request_rate',
        status: 'ok',
        points: [{ time: new Date(first).toISOString(), value: 1 }],
      });
    });
  });

  describeCredentialChecks(
    () => t,
    () => [
      ['GET metrics', (token) => withToken(t.http.get(`/v1/services/${serviceId}/metrics`), token)],
    ],
  );
});
