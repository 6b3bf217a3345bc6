import { BUCKET_MS, LatencyBucket, RequestRollup, binOf } from './request-rollup';

const SERVICE_A = '00000000-0000-4000-8000-00000000000a';
const SERVICE_B = '00000000-0000-4000-8000-00000000000b';
// A bucket boundary, so the arithmetic below reads plainly.
const T0 = 1_800_000_000_000;

describe('LatencyBucket', () => {
  it('gives p95 within the bins’ 4.4% of the exact nearest-rank value', () => {
    const bucket = new LatencyBucket();
    // 1..200 ms: the nearest-rank p95 is the 190th value, 190 ms.
    for (let ms = 1; ms <= 200; ms += 1) bucket.observe(200, ms);
    const p95 = bucket.percentile(0.95) ?? NaN;
    expect(p95).toBeGreaterThanOrEqual(190);
    expect(p95).toBeLessThanOrEqual(190 * 1.045);
  });

  it('is exact when every latency is the same, and never beyond the largest', () => {
    const same = new LatencyBucket();
    for (let i = 0; i < 50; i += 1) same.observe(200, 37.5);
    expect(same.percentile(0.95)).toBe(37.5);
    const spread = new LatencyBucket();
    spread.observe(200, 1);
    spread.observe(200, 1000);
    expect(spread.percentile(0.95)).toBe(1000);
    expect(spread.percentile(0.5)).toBeCloseTo(1, 1);
  });

  it('counts 5xx as errors, and requests without a latency without a sample', () => {
    const bucket = new LatencyBucket();
    bucket.observe(200, 10);
    bucket.observe(404, 10);
    bucket.observe(500, 10);
    bucket.observe(503, 10);
    bucket.observe(101, null);
    expect([bucket.requests, bucket.errors5xx]).toEqual([5, 2]);
    expect(new LatencyBucket().percentile(0.95)).toBeNull();
  });

  it('puts every latency in a bin whose upper bound holds it', () => {
    for (const ms of [0.001, 0.01, 0.5, 1, 9.99, 250, 60_000, 10_000_000]) {
      expect(binOf(ms)).toBeGreaterThanOrEqual(0);
      expect(binOf(ms)).toBeLessThan(400);
    }
    expect(binOf(2)).toBeGreaterThan(binOf(1));
  });
});

describe('RequestRollup', () => {
  it('rolls requests up per service per 10 s bucket, by the time they ended', () => {
    const rollup = new RequestRollup();
    rollup.observe(SERVICE_A, 200, 10, T0 + 1);
    rollup.observe(SERVICE_A, 502, 30, T0 + BUCKET_MS - 1);
    rollup.observe(SERVICE_B, 200, 5, T0 + 5000);
    rollup.observe(SERVICE_A, 200, 20, T0 + BUCKET_MS);

    // The first bucket has not ended until T0 + 10 s.
    expect(rollup.takeClosed(T0 + BUCKET_MS - 1)).toEqual([]);
    const closed = rollup.takeClosed(T0 + BUCKET_MS);
    expect(closed).toEqual([
      {
        serviceId: SERVICE_A,
        bucketStart: new Date(T0),
        requests: 2,
        errors5xx: 1,
        latencyP95Ms: 30,
      },
      {
        serviceId: SERVICE_B,
        bucketStart: new Date(T0),
        requests: 1,
        errors5xx: 0,
        latencyP95Ms: 5,
      },
    ]);
    // Taken once: the next call has only the later bucket, and only once it ended.
    expect(rollup.takeClosed(T0 + BUCKET_MS)).toEqual([]);
    expect(rollup.takeAll()).toEqual([
      {
        serviceId: SERVICE_A,
        bucketStart: new Date(T0 + BUCKET_MS),
        requests: 1,
        errors5xx: 0,
        latencyP95Ms: 20,
      },
    ]);
    expect(rollup.takeAll()).toEqual([]);
  });
});
