import { REQUEST_METRICS_BUCKET_SECONDS } from '@slipway/contracts';

/** One row of `request_metrics`: one service's requests in one 10 s bucket. */
export interface RequestMetricsRow {
  readonly serviceId: string;
  readonly bucketStart: Date;
  readonly requests: number;
  readonly errors5xx: number;
  /** Null when no request of the bucket had a latency (WebSocket tunnels only). */
  readonly latencyP95Ms: number | null;
}

export const BUCKET_MS = REQUEST_METRICS_BUCKET_SECONDS * 1000;

// Latencies go into log-scale bins: 16 per doubling from 0.01 ms, so a percentile is
// within 4.4% of the exact value whatever the traffic, in a fixed 1.6 KB per service.
const BINS_PER_DOUBLING = 16;
const SMALLEST_MS = 0.01;
const BIN_COUNT = 400; // up to 0.01 ms × 2^25 ≈ 5.6 minutes; longer ones share the last bin

export function binOf(ms: number): number {
  if (!(ms > SMALLEST_MS)) return 0;
  const bin = Math.ceil(Math.log2(ms / SMALLEST_MS) * BINS_PER_DOUBLING);
  return Math.min(bin, BIN_COUNT - 1);
}

function upperBoundOf(bin: number): number {
  return SMALLEST_MS * 2 ** (bin / BINS_PER_DOUBLING);
}

/** Requests, 5xx and a latency histogram of one service in one bucket. */
export class LatencyBucket {
  requests = 0;
  errors5xx = 0;
  private readonly bins = new Uint32Array(BIN_COUNT);
  private timed = 0;
  private min = Infinity;
  private max = -Infinity;

  observe(status: number, latencyMs: number | null): void {
    this.requests += 1;
    if (status >= 500) this.errors5xx += 1;
    if (latencyMs === null) return;
    const bin = binOf(latencyMs);
    this.bins[bin] = (this.bins[bin] ?? 0) + 1;
    this.timed += 1;
    this.min = Math.min(this.min, latencyMs);
    this.max = Math.max(this.max, latencyMs);
  }

  /** The nearest-rank percentile (0 < p ≤ 1): its bin's upper bound, kept within [min, max]. */
  percentile(p: number): number | null {
    if (this.timed === 0) return null;
    const rank = Math.max(1, Math.ceil(p * this.timed));
    let seen = 0;
    for (let bin = 0; bin < BIN_COUNT; bin += 1) {
      seen += this.bins[bin] ?? 0;
      if (seen >= rank) return Math.min(this.max, Math.max(this.min, upperBoundOf(bin)));
    }
    return this.max;
  }
}

/**
 * Rolls requests up per service per 10 s bucket, by the time each request ended. A bucket is
 * handed out once it has ended (`takeClosed`), or earlier on shutdown (`takeAll`): the API sums
 * rows of the same service and bucket, so a bucket written in two parts still adds up.
 */
export class RequestRollup {
  private readonly buckets = new Map<number, Map<string, LatencyBucket>>();

  /** `latencyMs` null: counted, but not a latency (a WebSocket tunnel's lifetime is not one). */
  observe(serviceId: string, status: number, latencyMs: number | null, endedAtMs: number): void {
    const start = endedAtMs - (endedAtMs % BUCKET_MS);
    let services = this.buckets.get(start);
    if (!services) {
      services = new Map();
      this.buckets.set(start, services);
    }
    let bucket = services.get(serviceId);
    if (!bucket) {
      bucket = new LatencyBucket();
      services.set(serviceId, bucket);
    }
    bucket.observe(status, latencyMs);
  }

  /** Rows of every bucket that ended at or before `nowMs`, removed from the rollup. */
  takeClosed(nowMs: number): RequestMetricsRow[] {
    return this.take((start) => start + BUCKET_MS <= nowMs);
  }

  /** Rows of every bucket, the current one included. */
  takeAll(): RequestMetricsRow[] {
    return this.take(() => true);
  }

  private take(due: (start: number) => boolean): RequestMetricsRow[] {
    const rows: RequestMetricsRow[] = [];
    for (const [start, services] of this.buckets) {
      if (!due(start)) continue;
      this.buckets.delete(start);
      for (const [serviceId, bucket] of services) {
        rows.push({
          serviceId,
          bucketStart: new Date(start),
          requests: bucket.requests,
          errors5xx: bucket.errors5xx,
          latencyP95Ms: bucket.percentile(0.95),
        });
      }
    }
    return rows;
  }
}
