import type { MetricName, MetricPointView } from '../../api/types';
import { formatBytes, formatDuration } from '../../format';

/** The edge rolls requests up into buckets this long; a missing bucket had no traffic. */
export const BUCKET_MS = 10_000;
/** The newest buckets arrive about this late, so their absence does not mean "no traffic". */
const ROLLUP_DELAY_MS = 2 * BUCKET_MS;

export interface MetricDefinition {
  title: string;
  format: (value: number) => string;
  /**
   * How a bucket with no point reads: 0 for a rate (nothing was answered), a gap for a
   * latency (nothing to measure); undefined for a runtime reading, which has no buckets.
   */
  missingBucket?: 0 | null;
  /** What an empty series means and what to do about it. */
  empty: string;
  note?: string;
}

/** Below a tenth of a core, millicores: an idle instance reads 2m, not 0 cores. */
export const formatCores = (cores: number): string =>
  cores > 0 && cores < 0.1
    ? `${Number((cores * 1000).toFixed(1))}m cores`
    : `${Number(cores.toFixed(3))} cores`;

const perSecond = (value: number): string => `${Number(value.toFixed(2))} req/s`;

/** The API samples usage periodically (30 s by default) and adds a reading at now. */
const USAGE_NOTE =
  'Summed over the running instances: sampled every half minute or so, the last point now.';

export const METRIC_NAMES: readonly MetricName[] = [
  'request_rate',
  'error_rate',
  'latency_p95',
  'cpu_usage',
  'memory_usage',
];

export const METRICS: Record<MetricName, MetricDefinition> = {
  request_rate: {
    title: 'Request rate',
    format: perSecond,
    missingBucket: 0,
    empty: 'No requests in this window: call the service (see the Endpoint tab).',
  },
  error_rate: {
    title: '5xx rate',
    format: perSecond,
    missingBucket: 0,
    empty: 'No requests in this window, so no 5xx answers either.',
  },
  latency_p95: {
    title: 'p95 latency',
    format: formatDuration,
    missingBucket: null,
    empty: 'No requests in this window to measure.',
  },
  cpu_usage: {
    title: 'CPU',
    format: formatCores,
    empty: 'No running instance to read: deploy the service or scale it up.',
    note: USAGE_NOTE,
  },
  memory_usage: {
    title: 'Memory',
    format: formatBytes,
    empty: 'No running instance to read: deploy the service or scale it up.',
    note: USAGE_NOTE,
  },
};

export interface ChartPoint {
  time: number;
  value: number | null;
}

/**
 * The points to plot, with the buckets that have no point filled in as the metric says: a
 * rate drops to 0 across a quiet stretch (and before the first and after the last point,
 * within the window) instead of a straight line bridging it; a latency breaks off.
 */
export function chartPoints(
  points: readonly MetricPointView[],
  missingBucket: 0 | null | undefined,
  window: { start: number; end: number },
): ChartPoint[] {
  const plotted = points.map((point) => ({ time: Date.parse(point.time), value: point.value }));
  if (missingBucket === undefined || plotted.length === 0) return plotted;
  const filled: ChartPoint[] = [];
  const first = plotted[0] as ChartPoint;
  if (missingBucket === 0 && first.time - BUCKET_MS >= window.start) {
    filled.push({ time: window.start, value: 0 }, { time: first.time - BUCKET_MS, value: 0 });
  }
  plotted.forEach((point, index) => {
    filled.push(point);
    const next = plotted[index + 1];
    const quietUntil = next ? next.time : window.end - ROLLUP_DELAY_MS;
    if (quietUntil - point.time <= BUCKET_MS) return;
    filled.push({ time: point.time + BUCKET_MS, value: missingBucket });
    if (missingBucket === 0) {
      filled.push({ time: next ? next.time - BUCKET_MS : quietUntil, value: 0 });
    }
  });
  return filled;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** An x-axis tick: the time of day, with the date too when the window spans days. */
export function formatTick(time: number, windowMs: number): string {
  const date = new Date(time);
  const clock = `${pad(date.getHours())}:${pad(date.getMinutes())}`;
  return windowMs > 24 * 3600_000
    ? `${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${clock}`
    : clock;
}
