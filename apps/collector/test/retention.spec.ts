import pino from 'pino';
import { insertRows, spans } from '@slipway/db-schema';
import { RetentionJob } from '../src/storage/retention';
import { type TestDatabase, createService, createTestDatabase } from './support/database';
import { hex } from './support/payloads';

describe('retention', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
  });

  afterAll(async () => {
    await db.drop();
  });

  async function insertSpans(
    serviceId: string,
    count: number,
    receivedDaysAgo: number,
  ): Promise<void> {
    const now = new Date();
    await insertRows(
      db.pool,
      spans,
      Array.from({ length: count }, () => ({
        service_id: serviceId,
        trace_id: hex(16),
        span_id: hex(8),
        name: 'op',
        kind: 1,
        start_time: now,
        end_time: now,
        duration_ns: '0',
        status_code: 0,
        attributes: {},
        events: [],
        links: [],
        resource: {},
        received_at: new Date(now.getTime() - receivedDaysAgo * 24 * 60 * 60 * 1000),
      })),
    );
  }

  it('deletes, in chunks, only spans received before the retention period', async () => {
    const service = await createService(db.pool);
    await insertSpans(service.id, 5, 8);
    await insertSpans(service.id, 3, 6);
    await insertSpans(service.id, 2, 0);
    const job = new RetentionJob(db.pool, { days: 7, chunkSize: 2 }, pino({ level: 'silent' }));

    expect(await job.runOnce()).toBe(5);
    const left = await db.pool.query<{ days: number }>(
      `SELECT extract(day FROM now() - received_at)::int AS days FROM ${spans.name} ORDER BY days`,
    );
    expect(left.rows.map((r) => r.days)).toEqual([0, 0, 6, 6, 6]);
    expect(await job.runOnce()).toBe(0);
  });

  it('runs on its schedule', async () => {
    const service = await createService(db.pool);
    await insertSpans(service.id, 2, 30);
    const job = new RetentionJob(
      db.pool,
      { days: 7, intervalMs: 20, firstRunDelayMs: 0 },
      pino({ level: 'silent' }),
    );
    job.start();
    try {
      const deadline = Date.now() + 20_000; // generous: a loaded machine may be slow
      let remaining = 2;
      while (remaining > 0 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        const result = await db.pool.query<{ n: string }>(
          `SELECT count(*) AS n FROM ${spans.name} WHERE service_id = $1`,
          [service.id],
        );
        remaining = Number(result.rows[0]?.n);
      }
      expect(remaining).toBe(0);
    } finally {
      await job.stop();
    }
  });
});
