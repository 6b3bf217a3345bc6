import { type SpanSeed, traceId } from './spans';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** Five traces of one service, placed relative to `now`, for the traces routes' specs. */
export function traceSeeds(now: number) {
  const ago = (ms: number): Date => new Date(now - ms);
  const T1 = traceId(1);
  const t1Start = ago(1 * MINUTE);
  /** Root, two children, a grandchild and an orphan; one failed span; microsecond start. */
  const t1: SpanSeed[] = [
    {
      trace: T1,
      span: 'a000000000000001',
      name: 'GET /orders',
      kind: 2,
      start: `${t1Start.toISOString().slice(0, 23)}456Z`,
      durationNs: 120_000_000,
      status: 1,
      attributes: { 'http.method': 'GET' },
      events: [{ name: 'accepted', time: t1Start.toISOString(), attributes: {} }],
      resource: { 'service.name': 'orders' },
    },
    {
      trace: T1,
      span: 'a000000000000002',
      parent: 'a000000000000001',
      name: 'SELECT orders',
      kind: 3,
      start: new Date(t1Start.getTime() + 10),
      durationNs: 50_000_000,
      status: 2,
      message: 'timeout',
      links: [{ trace_id: traceId(9), span_id: 'b000000000000001', attributes: {} }],
    },
    {
      trace: T1,
      span: 'a000000000000003',
      parent: 'a000000000000001',
      name: 'render',
      kind: 1,
      start: new Date(t1Start.getTime() + 70),
      durationNs: 1_234_567,
    },
    {
      trace: T1,
      span: 'a000000000000004',
      parent: 'a000000000000002',
      name: 'publish',
      kind: 9,
      start: new Date(t1Start.getTime() + 20),
      durationNs: 5_000_000,
    },
    {
      trace: T1,
      span: 'a000000000000005',
      parent: 'ffffffffffffffff',
      name: 'consume',
      kind: 5,
      start: new Date(t1Start.getTime() + 5),
      durationNs: 2_000_000,
    },
  ];
  const T2 = traceId(2);
  /** No root stored yet; spans 6 and 4 minutes ago, across the first searched slice's edge. */
  const t2: SpanSeed[] = [
    {
      trace: T2,
      span: 'c000000000000002',
      parent: 'c0000000000000ff',
      name: 'later step',
      start: ago(4 * MINUTE),
      durationNs: 1_000_000,
    },
    {
      trace: T2,
      span: 'c000000000000001',
      parent: 'c0000000000000ff',
      name: 'worker step',
      start: ago(6 * MINUTE),
      durationNs: 1_000_000,
    },
  ];
  const T3 = traceId(3);
  const t3: SpanSeed[] = [
    {
      trace: T3,
      span: 'd000000000000001',
      name: 'GET /health',
      kind: 2,
      start: ago(2 * HOUR),
      durationNs: 5_000_000,
    },
  ];
  const T4 = traceId(4);
  const t4: SpanSeed[] = [
    {
      trace: T4,
      span: 'e000000000000001',
      name: 'GET /old',
      start: ago(30 * HOUR),
      durationNs: 1_000_000,
    },
  ];
  /** Began before the default 24-hour window, with a span inside it. */
  const T5 = traceId(5);
  const t5: SpanSeed[] = [
    {
      trace: T5,
      span: 'f000000000000001',
      name: 'nightly job',
      start: ago(25 * HOUR),
      durationNs: 3 * HOUR * 1e6,
    },
    {
      trace: T5,
      span: 'f000000000000002',
      parent: 'f000000000000001',
      name: 'job step',
      start: ago(23 * HOUR),
      durationNs: 1_000_000,
    },
  ];
  return { T1, T2, T3, T4, T5, t1, t2, t3, t4, t5 };
}
