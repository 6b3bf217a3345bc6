import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { type Collector, createCollector } from '../src';
import {
  TEST_SECRET_KEY,
  type TestDatabase,
  type TestService,
  createService,
  createTestDatabase,
  spansOf,
} from './support/database';
import {
  EXPORT_SUCCESS,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  type Transport,
  sdkClient,
  trace,
} from './support/sdk';

/** Exact duration the SDK measured, in nanoseconds. */
function durationNs(span: unknown): string {
  const [seconds, nanos] = (span as ReadableSpan).duration;
  return (BigInt(seconds) * 1_000_000_000n + BigInt(nanos)).toString();
}

describe('spans exported by the real OpenTelemetry SDK exporters', () => {
  let db: TestDatabase;
  let collector: Collector;

  beforeAll(async () => {
    db = await createTestDatabase();
    collector = await createCollector({
      env: {},
      overrides: {
        http: { port: 0 },
        database: { url: db.url },
        auth: { secretKey: TEST_SECRET_KEY },
        log: { level: 'silent' },
      },
    });
  });

  afterAll(async () => {
    await collector.close();
    await db.drop();
  });

  const cases: [Transport, boolean][] = [
    ['json', false],
    ['json', true],
    ['protobuf', false],
    ['protobuf', true],
  ];

  it.each(cases)(
    'stores a trace sent as %s (gzip: %s) under the token’s service',
    async (transport, gzip) => {
      const service: TestService = await createService(db.pool);
      const client = sdkClient({
        collectorUrl: collector.url,
        token: service.token,
        transport,
        gzip,
        serviceName: 'whatever-the-app-calls-itself',
      });

      const root = client.tracer.startSpan(
        'GET /checkout',
        {
          kind: SpanKind.SERVER,
          attributes: {
            'http.method': 'GET',
            'http.status_code': 500,
            ratio: 0.25,
            cached: false,
            tags: ['a', 'b'],
          },
        },
        ROOT_CONTEXT,
      );
      const child = client.tracer.startSpan(
        'SELECT orders',
        {
          kind: SpanKind.CLIENT,
          attributes: { 'db.system': 'postgresql' },
          links: [{ context: root.spanContext(), attributes: { reason: 'follows' } }],
        },
        trace.setSpan(ROOT_CONTEXT, root),
      );
      child.addEvent('cache miss', { key: 'orders:42' });
      child.setStatus({ code: SpanStatusCode.ERROR, message: 'boom' });
      child.end();
      root.end();
      await client.flush();
      await client.shutdown();

      expect(client.exporter.results.map((r) => r.code)).toEqual([EXPORT_SUCCESS]);
      const rows = await spansOf(db.pool, service.id);
      expect(rows).toHaveLength(2);
      const storedRoot = rows.find((r) => r.span_id === root.spanContext().spanId);
      const storedChild = rows.find((r) => r.span_id === child.spanContext().spanId);
      if (!storedRoot || !storedChild) throw new Error(`spans missing: ${JSON.stringify(rows)}`);

      expect(storedRoot).toMatchObject({
        service_id: service.id,
        trace_id: root.spanContext().traceId,
        parent_span_id: null,
        name: 'GET /checkout',
        kind: 2,
        status_code: 0,
        status_message: null,
        duration_ns: durationNs(root),
        attributes: {
          'http.method': 'GET',
          'http.status_code': 500,
          ratio: 0.25,
          cached: false,
          tags: ['a', 'b'],
        },
        events: [],
      });
      expect(storedRoot.resource).toMatchObject({
        'service.name': 'whatever-the-app-calls-itself',
        'deployment.environment': 'test',
      });
      expect(storedChild).toMatchObject({
        trace_id: root.spanContext().traceId,
        parent_span_id: root.spanContext().spanId,
        name: 'SELECT orders',
        kind: 3,
        status_code: 2,
        status_message: 'boom',
        duration_ns: durationNs(child),
        attributes: { 'db.system': 'postgresql' },
        links: [
          {
            trace_id: root.spanContext().traceId,
            span_id: root.spanContext().spanId,
            attributes: { reason: 'follows' },
          },
        ],
      });
      expect(storedChild.events).toEqual([
        {
          name: 'cache miss',
          time: expect.stringMatching(/^\d{4}-.+Z$/),
          attributes: { key: 'orders:42' },
        },
      ]);
      const eventTime = Date.parse(storedChild.events[0]?.time ?? '');
      expect(eventTime).toBeGreaterThanOrEqual(storedChild.start_time.getTime());
      expect(storedChild.start_time.getTime()).toBeGreaterThanOrEqual(
        storedRoot.start_time.getTime(),
      );
      expect(storedRoot.end_time.getTime()).toBeGreaterThanOrEqual(storedRoot.start_time.getTime());
    },
  );

  it('stores a large batch sent in several exports', async () => {
    const service = await createService(db.pool);
    const client = sdkClient({
      collectorUrl: collector.url,
      token: service.token,
      transport: 'protobuf',
    });
    for (let i = 0; i < 1500; i++) {
      client.tracer.startSpan(`op-${i}`, { attributes: { i } }, ROOT_CONTEXT).end();
    }
    await client.flush();
    await client.shutdown();
    expect(new Set(client.exporter.results.map((r) => r.code))).toEqual(new Set([EXPORT_SUCCESS]));
    expect(client.exporter.results).toHaveLength(3);
    expect(await spansOf(db.pool, service.id)).toHaveLength(1500);
  });
});
