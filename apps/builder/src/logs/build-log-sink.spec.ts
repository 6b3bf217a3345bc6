import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { BuildLogEntrySchema, buildLogStreamKey } from '@slipway/contracts';
import Redis from 'ioredis';
import { DEFAULT_BUILD_LOG_OPTIONS, RedisBuildLog } from './build-log-sink';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

let redis: Redis;
const keys: string[] = [];

beforeAll(() => {
  redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
});

afterAll(async () => {
  if (keys.length > 0) await redis.del(...keys);
  await redis.quit();
});

function newDeployment(): string {
  const id = `test-${randomUUID()}`;
  keys.push(buildLogStreamKey(id));
  return id;
}

async function entries(deploymentId: string): Promise<Record<string, string>[]> {
  const raw = await redis.xrange(buildLogStreamKey(deploymentId), '-', '+');
  return raw.map(([, fields]) => {
    const entry: Record<string, string> = {};
    for (let i = 0; i < fields.length; i += 2) entry[fields[i] as string] = fields[i + 1] as string;
    return entry;
  });
}

describe('RedisBuildLog', () => {
  it('writes {line, stream, at} entries to the deployment stream, one per line, in order', async () => {
    const id = newDeployment();
    const log = new RedisBuildLog(redis, id, (e) => {
      throw e;
    });

    log.system('fetching source bundle (120 bytes)');
    log.write('Step 1/2 : FROM busybox\nStep 2/2 : RUN true\n');
    log.write('warning: something\r\n', 'stderr');
    await log.close();

    const written = await entries(id);
    expect(written.map(({ line, stream }) => ({ line, stream }))).toEqual([
      { line: 'fetching source bundle (120 bytes)', stream: 'system' },
      { line: 'Step 1/2 : FROM busybox', stream: 'stdout' },
      { line: 'Step 2/2 : RUN true', stream: 'stdout' },
      { line: 'warning: something', stream: 'stderr' },
    ]);
    for (const entry of written) expect(BuildLogEntrySchema.parse(entry)).toEqual(entry);
    const ttl = await redis.ttl(buildLogStreamKey(id));
    expect(ttl).toBeGreaterThan(7 * 24 * 3600 - 60);
    expect(ttl).toBeLessThanOrEqual(7 * 24 * 3600);
  });

  it('batches a chatty build into few round trips', async () => {
    const id = newDeployment();
    const log = new RedisBuildLog(redis, id, (e) => {
      throw e;
    });
    const pipelines = jest.spyOn(redis, 'pipeline');

    for (let i = 0; i < 2000; i += 1) log.write(`line ${i}`);
    await log.close();

    expect(pipelines.mock.calls.length).toBeLessThanOrEqual(4);
    const written = await entries(id);
    expect(written).toHaveLength(2000);
    expect(written[1999]?.line).toBe('line 1999');
    pipelines.mockRestore();
  });

  it('delivers a lone line after one flush interval (~200 ms) without being closed', async () => {
    // The ~200 ms is this interval plus one round trip. A wall-clock bound on the delivery
    // would fail whenever a loaded machine pauses this process, so the interval is checked
    // here, and the delivery below: by the flush timer, before close().
    expect(DEFAULT_BUILD_LOG_OPTIONS.flushIntervalMs).toBeLessThanOrEqual(100);
    const id = newDeployment();
    const log = new RedisBuildLog(redis, id, (e) => {
      throw e;
    });
    const started = Date.now();

    log.write('just one line');
    let written: Record<string, string>[] = [];
    while (written.length === 0 && Date.now() - started < 20_000) {
      await sleep(20);
      written = await entries(id);
    }

    expect(written.map((e) => e.line)).toEqual(['just one line']);
    // Batched, not written line by line: it waited for the timer (less a timer's slack).
    expect(Date.now() - started).toBeGreaterThanOrEqual(
      DEFAULT_BUILD_LOG_OPTIONS.flushIntervalMs - 10,
    );
    await log.close();
  }, 30_000);

  it('caps the stream length (MAXLEN ~) and cuts giant lines', async () => {
    const id = newDeployment();
    const log = new RedisBuildLog(
      redis,
      id,
      (e) => {
        throw e;
      },
      { ...DEFAULT_BUILD_LOG_OPTIONS, maxLen: 100, maxBatch: 50, maxLineLength: 10 },
    );

    for (let i = 0; i < 1000; i += 1) log.write(`line ${i}`);
    log.write('x'.repeat(50));
    await log.close();

    const length = await redis.xlen(buildLogStreamKey(id));
    expect(length).toBeGreaterThanOrEqual(100);
    expect(length).toBeLessThan(300);
    const last = (await entries(id)).at(-1);
    expect(last?.line).toBe(`${'x'.repeat(10)}… [line cut at 10 characters]`);
  });

  it('reports Redis failures instead of failing the build, and ignores lines after close', async () => {
    const broken = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0 });
    broken.disconnect();
    const errors: Error[] = [];
    const log = new RedisBuildLog(broken, newDeployment(), (e) => errors.push(e));

    log.write('lost line');
    await log.close();
    log.write('after close');
    await log.close();

    expect(errors).toHaveLength(1);
  });
});
