/**
 * The traces routes over spans inserted as the collector would store them, and the removal
 * of a deleted service's spans.
 */
import {
  ErrorCode,
  type CursorListEnvelope,
  type SpanResource,
  type TraceResource,
  type TraceSummaryResource,
} from '@slipway/contracts';
import { describeCredentialChecks, withToken } from '../../test/support/credentials';
import {
  createService,
  createTenant,
  expectError,
  expectServiceNotFound,
  type TestTenant,
} from '../../test/support/fixtures';
import { bearer, startTestApp, type TestApp } from '../../test/support/test-app';
import { insertSpans, traceId } from './test-support/spans';
import { traceSeeds } from './test-support/trace-seeds';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

describe('traces', () => {
  let t: TestApp;
  let tenant: TestTenant;
  let serviceId: string;
  /**
   * What the seeds' times count from: set again just before they are stored, not only when
   * this file loads, so that a slow start of the app (a loaded machine) does not age them
   * out of the relative windows (`?since=90` holds the trace of a minute ago).
   */
  let now = Date.now();
  const ago = (ms: number): Date => new Date(now - ms);
  const admin = () => bearer(t.adminToken);

  const newServiceId = async (prefix = 'traced'): Promise<string> =>
    (await createService(t, { prefix })).id;

  async function list(
    query = '',
    id = serviceId,
  ): Promise<CursorListEnvelope<TraceSummaryResource>> {
    const res = await t.http.get(`/v1/services/${id}/traces${query}`).set(admin()).expect(200);
    return res.body as CursorListEnvelope<TraceSummaryResource>;
  }
  const names = async (query = ''): Promise<string[]> =>
    (await list(query)).data.map((trace) => trace.root_span_name);

  let seeds = traceSeeds(now);
  const { T1, T2, T3, T5 } = seeds;
  const allSeeds = () => [...seeds.t1, ...seeds.t2, ...seeds.t3, ...seeds.t4, ...seeds.t5];

  beforeAll(async () => {
    t = await startTestApp();
    tenant = await createTenant(t);
    serviceId = await newServiceId();
    now = Date.now();
    seeds = traceSeeds(now);
    await insertSpans(t, serviceId, allSeeds());
  });
  afterAll(async () => {
    await t?.close();
  });

  describe('GET /v1/services/{id}/traces', () => {
    it('lists the last 24 hours newest first, each trace summed over all its spans', async () => {
      const page = await list();
      expect(page.pagination).toEqual({ next_cursor: null });
      expect(page.data.map((trace) => trace.trace_id)).toEqual([T1, T2, T3]);
      const [first, second] = page.data;
      expect(first).toEqual({
        trace_id: T1,
        root_span_name: 'GET /orders',
        start_time: seeds.t1[0]?.start,
        end_time: expect.stringMatching(/^\d{4}-.*\.\d{6}Z$/) as unknown,
        duration_ms: 120,
        span_count: 5,
        error: true,
      });
      // No root stored: the earliest span names the trace; it is listed once.
      expect(second).toMatchObject({ root_span_name: 'worker step', span_count: 2, error: false });
    });

    it('places a trace by its earliest span: a window must hold that start', async () => {
      expect(await names(`?start=${ago(26 * HOUR).toISOString()}`)).toEqual([
        'GET /orders',
        'worker step',
        'GET /health',
        'nightly job',
      ]);
      const [nightly] = (
        await list(`?start=${ago(26 * HOUR).toISOString()}&end=${ago(24 * HOUR).toISOString()}`)
      ).data;
      expect(nightly).toMatchObject({ trace_id: T5, span_count: 2, duration_ms: 3 * HOUR });
    });

    it('filters by since, start/end and end alone', async () => {
      expect(await names('?since=600')).toEqual(['GET /orders', 'worker step']);
      expect(await names('?since=90')).toEqual(['GET /orders']);
      expect(
        await names(`?start=${ago(3 * HOUR).toISOString()}&end=${ago(HOUR).toISOString()}`),
      ).toEqual(['GET /health']);
      // The 24 hours before end: the 25- and 30-hour-old traces, not the 2-hour-old one.
      expect(await names(`?end=${ago(10 * HOUR).toISOString()}`)).toEqual([
        'nightly job',
        'GET /old',
      ]);
      expect(await names(`?end=${ago(32 * HOUR).toISOString()}`)).toEqual([]);
      expect(
        await names(`?start=${ago(31 * HOUR).toISOString()}&end=${ago(29 * HOUR).toISOString()}`),
      ).toEqual(['GET /old']);
    });

    it('filters by duration, status and span name', async () => {
      // The rootless trace lasts from its first span to its last: two minutes.
      expect(await names('?min_duration_ms=100')).toEqual(['GET /orders', 'worker step']);
      expect(await names('?min_duration_ms=121')).toEqual(['worker step']);
      expect(await names('?min_duration_ms=5')).toEqual([
        'GET /orders',
        'worker step',
        'GET /health',
      ]);
      expect(await names('?status=error')).toEqual(['GET /orders']);
      // Any span's name, ignoring case: SELECT is a child of GET /orders.
      expect(await names('?name_contains=select')).toEqual(['GET /orders']);
      expect(await names('?name_contains=get%20')).toEqual(['GET /orders', 'GET /health']);
      expect(await names('?name_contains=nothing-like-it')).toEqual([]);
    });

    it('pages with an opaque cursor: no overlap, nothing missed, a stable order', async () => {
      const paged = await newServiceId('paged');
      const base = ago(30 * MINUTE);
      // Five traces share one start time: the trace id breaks the tie.
      await insertSpans(
        t,
        paged,
        Array.from({ length: 25 }, (_, i) => ({
          trace: traceId(100 + i),
          span: `${(i + 1).toString(16).padStart(16, '0')}`,
          name: `op ${i}`,
          start: new Date(base.getTime() + (i < 5 ? 0 : i * 1000)),
          durationNs: 1_000_000,
        })),
      );
      const all = (await list('?limit=100', paged)).data.map((trace) => trace.trace_id);
      expect(all).toHaveLength(25);
      const pages: string[][] = [];
      let cursor: string | null = null;
      do {
        const query: string = `?limit=10${cursor ? `&cursor=${cursor}` : ''}`;
        const page: CursorListEnvelope<TraceSummaryResource> = await list(query, paged);
        pages.push(page.data.map((trace) => trace.trace_id));
        cursor = page.pagination.next_cursor;
      } while (cursor && pages.length < 5);
      expect(pages.map((page) => page.length)).toEqual([10, 10, 5]);
      expect(pages.flat()).toEqual(all);
      expect(new Set(pages.flat()).size).toBe(25);
      const tied = all.filter((id) => Number.parseInt(id, 16) - 100 < 5);
      expect(tied).toEqual([...tied].sort().reverse());
    });

    it.each([
      ['?since=60&start=2026-01-01T00:00:00Z', 'since: cannot be combined with start or end'],
      ['?start=yesterday', 'start: must be an ISO 8601 date-time'],
      ['?start=2026-01-31T10:00:00', 'start: must be an ISO 8601 date-time'],
      ['?start=2026-01-31T10:00:00Z&end=2026-01-31T09:00:00Z', 'start: must be before end'],
      ['?limit=0', 'limit: must be at least 1'],
      ['?limit=101', 'limit: must be at most 100'],
      ['?min_duration_ms=-1', 'min_duration_ms: must be at least 0'],
      ['?status=ok', 'status: must be error'],
      ['?cursor=not-a-cursor', 'cursor: is not a cursor this API returned'],
      ['?colour=red', 'colour: is not a known field'],
    ])('answers 400 for %s', async (query, message) => {
      const res = await t.http
        .get(`/v1/services/${serviceId}/traces${query}`)
        .set(admin())
        .expect(400);
      expect(expectError(res.body, ErrorCode.ValidationFailed).message).toContain(message);
    });

    it('answers 404 for an unknown service and for one of another tenant', async () => {
      await expectServiceNotFound(
        t,
        (id) => `/v1/services/${id}/traces`,
        serviceId,
        tenant.user.token,
      );
    });
  });

  describe('GET /v1/services/{id}/traces/{trace_id}', () => {
    const strip = (span: SpanResource): object => ({
      name: span.name,
      children: span.children.map(strip),
    });

    it('answers the spans as a tree, orphans as roots', async () => {
      const res = await t.http
        .get(`/v1/services/${serviceId}/traces/${T1}`)
        .set(admin())
        .expect(200);
      const trace = res.body.data as TraceResource;
      expect(trace).toMatchObject({
        trace_id: T1,
        root_span_name: 'GET /orders',
        span_count: 5,
        error: true,
        duration_ms: 120,
      });
      expect(trace.spans.map(strip)).toEqual([
        {
          name: 'GET /orders',
          children: [
            { name: 'SELECT orders', children: [{ name: 'publish', children: [] }] },
            { name: 'render', children: [] },
          ],
        },
        { name: 'consume', children: [] },
      ]);
      const [root, orphan] = trace.spans;
      expect(root).toMatchObject({
        span_id: 'a000000000000001',
        parent_span_id: null,
        kind: 'server',
        start_time: seeds.t1[0]?.start,
        duration_ms: 120,
        status: { code: 'ok', message: null },
        attributes: { 'http.method': 'GET' },
        events: [{ name: 'accepted' }],
        resource: { 'service.name': 'orders' },
      });
      const [select, render] = root?.children ?? [];
      expect(select).toMatchObject({
        kind: 'client',
        duration_ms: 50,
        status: { code: 'error', message: 'timeout' },
        links: [{ span_id: 'b000000000000001' }],
      });
      expect(render).toMatchObject({
        kind: 'internal',
        duration_ms: 1.234567,
        status: { code: 'unset' },
      });
      expect(select?.children[0]).toMatchObject({
        kind: 'unspecified',
        parent_span_id: 'a000000000000002',
      });
      expect(orphan).toMatchObject({ kind: 'consumer', parent_span_id: 'ffffffffffffffff' });
    });

    it('accepts the trace id in upper case', async () => {
      const res = await t.http
        .get(`/v1/services/${serviceId}/traces/${T3.toUpperCase()}`)
        .set(admin())
        .expect(200);
      expect((res.body.data as TraceResource).trace_id).toBe(T3);
    });

    it.each([['xyz'], ['0'.repeat(31)], ['g'.repeat(32)]])(
      'answers 400 for trace id %s',
      async (id) => {
        const res = await t.http
          .get(`/v1/services/${serviceId}/traces/${id}`)
          .set(admin())
          .expect(400);
        expect(expectError(res.body, ErrorCode.ValidationFailed).message).toMatch(
          /^trace_id: must be 32 hexadecimal/,
        );
      },
    );

    it('answers 404 for an unknown trace, an unknown service and another tenant', async () => {
      const unknown = await t.http
        .get(`/v1/services/${serviceId}/traces/${traceId(999)}`)
        .set(admin())
        .expect(404);
      expect(expectError(unknown.body, ErrorCode.NotFound).message).toContain(traceId(999));
      await t.http
        .get(`/v1/services/00000000-0000-4000-8000-000000000000/traces/${T1}`)
        .set(admin())
        .expect(404);
      await t.http
        .get(`/v1/services/${serviceId}/traces/${T1}`)
        .set(bearer(tenant.user.token))
        .expect(404);
    });
  });

  it('deleting a service deletes its spans, and only its', async () => {
    const doomed = await newServiceId('doomed');
    await insertSpans(t, doomed, [
      {
        trace: traceId(50),
        span: '0000000000000050',
        name: 'x',
        start: ago(MINUTE),
        durationNs: 1,
      },
    ]);
    const count = async (id: string): Promise<number> =>
      (
        await t.dataSource.query<{ n: number }[]>(
          'SELECT count(*)::int AS n FROM spans WHERE service_id = $1',
          [id],
        )
      )[0]?.n ?? -1;
    expect(await count(doomed)).toBe(1);
    await t.http.delete(`/v1/services/${doomed}`).set(admin()).expect(200);
    expect(await count(doomed)).toBe(0);
    expect(await count(serviceId)).toBe(allSeeds().length);
  });

  describeCredentialChecks(
    () => t,
    () => [
      ['GET traces', (token) => withToken(t.http.get(`/v1/services/${serviceId}/traces`), token)],
      [
        'GET trace',
        (token) => withToken(t.http.get(`/v1/services/${serviceId}/traces/${T1}`), token),
      ],
    ],
  );
});
