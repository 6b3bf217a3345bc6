import { Client } from 'pg';
import { type Collector, createCollector } from '../src';
import {
  TEST_SECRET_KEY,
  type TestDatabase,
  type TestService,
  createService,
  createTestDatabase,
  spansOf,
} from './support/database';
import { startTestCollector } from './support/collector';
import { type RawResponse, expectErrorBody, post } from './support/http';
import { jsonRequest, jsonSpans } from './support/payloads';

/** Generous: a loaded machine may pause this process (clients and collector) for seconds. */
async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Holds an exclusive lock on `spans` so every INSERT waits until `release`. */
async function blockWrites(url: string): Promise<{ release(): Promise<void> }> {
  const client = new Client({ connectionString: url });
  await client.connect();
  await client.query('BEGIN');
  await client.query('LOCK TABLE spans IN ACCESS EXCLUSIVE MODE');
  return {
    async release() {
      await client.query('COMMIT');
      await client.end();
    },
  };
}

describe('back-pressure and database failures', () => {
  let db: TestDatabase;
  let collector: Collector;
  let service: TestService;
  const CAPACITY = 10;

  const send = (spanCount: number): Promise<RawResponse> =>
    post(`${collector.url}/v1/traces`, JSON.stringify(jsonRequest(jsonSpans(spanCount))), {
      Authorization: `Bearer ${service.token}`,
      'Content-Type': 'application/json',
    });

  beforeAll(async () => {
    db = await createTestDatabase();
    collector = await startTestCollector(db.url, {
      queue: { capacitySpans: CAPACITY, batchSize: 1000, flushIntervalMs: 0 },
    });
  });

  beforeEach(async () => {
    service = await createService(db.pool);
  });

  afterAll(async () => {
    await collector.close();
    await db.drop();
  });

  it('answers 429 with Retry-After when the queue is full, and 200 only once spans are stored', async () => {
    expect((await send(1)).status).toBe(200); // token cached before the table is locked
    const lock = await blockWrites(db.url);
    const first = send(4);
    const second = send(4);
    await until(() => collector.writer.pendingSpans === 8, 'both requests to be queued');

    const refused = await send(4);
    expectErrorBody(refused, 429, 'rate_limited');
    expect(refused.headers['retry-after']).toBe('1');
    // A request that fits is still taken.
    const third = send(2);
    await until(() => collector.writer.pendingSpans === 10, 'the third request to be queued');

    await lock.release();
    expect((await Promise.all([first, second, third])).map((r) => r.status)).toEqual([
      200, 200, 200,
    ]);
    expect(await spansOf(db.pool, service.id)).toHaveLength(11);
    expect(collector.writer.pendingSpans).toBe(0);
  });

  it('stores every span of every request that got 200 in a burst over capacity', async () => {
    const lock = await blockWrites(db.url);
    let refused = 0;
    const responses = Array.from({ length: 12 }, () =>
      send(3).then((r) => {
        if (r.status === 429) refused += 1;
        return r;
      }),
    );
    await until(() => collector.writer.pendingSpans === 9, 'the queue to fill');
    // Released once the burst has met the full queue (not after a fixed 100 ms, which a
    // loaded machine can spend before any other request arrives); the rest may still come.
    await until(() => refused > 0, 'a request to be refused');
    await lock.release();
    const statuses = (await Promise.all(responses)).map((r) => r.status);

    expect(statuses.filter((s) => s !== 200 && s !== 429)).toEqual([]);
    const accepted = statuses.filter((s) => s === 200).length;
    expect(accepted).toBeGreaterThanOrEqual(3);
    expect(statuses).toContain(429);
    expect(await spansOf(db.pool, service.id)).toHaveLength(accepted * 3);
  });

  it('answers 503 with Retry-After when the insert fails, and 200 again once it works', async () => {
    expect((await send(1)).status).toBe(200);
    await db.pool.query('ALTER TABLE spans RENAME TO spans_away');
    try {
      const res = await send(2);
      expectErrorBody(res, 503, 'service_unavailable');
      expect(res.headers['retry-after']).toBe('5');
    } finally {
      await db.pool.query('ALTER TABLE spans_away RENAME TO spans');
    }
    expect((await send(2)).status).toBe(200);
    expect(await spansOf(db.pool, service.id)).toHaveLength(3);
  });
});

describe('a collector whose database is unreachable', () => {
  let collector: Collector;

  beforeAll(async () => {
    collector = await createCollector({
      env: {},
      overrides: {
        http: { port: 0 },
        // Nothing listens on port 1.
        database: { url: 'postgres://postgres@127.0.0.1:1/none' },
        auth: { secretKey: TEST_SECRET_KEY },
        log: { level: 'silent' },
      },
      retention: false,
    });
  });

  afterAll(async () => {
    await collector.close();
  });

  it('answers exports with 503 and Retry-After', async () => {
    const res = await post(`${collector.url}/v1/traces`, '{}', {
      Authorization: 'Bearer slp_st_some_token',
      'Content-Type': 'application/json',
    });
    expectErrorBody(res, 503, 'service_unavailable');
    expect(res.headers['retry-after']).toBe('5');
  });

  it('is alive but not ready', async () => {
    expect((await fetch(`${collector.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${collector.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(((await ready.json()) as { error: { message: string } }).error.message).toMatch(
      /Not ready: database/,
    );
  });
});
