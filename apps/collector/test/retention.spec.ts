import pino from 'pino';
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
    for (let i = 0; i < count; i++) {
      await db.pool.query(
        `INSERT INTO spans (service_id, trace_id, span_id, name, kind, start_time, end_time,
           duration_ns, status_code, attributes, events, links, resource, received_at)
         VALUES ($1, $2, $3, 'op', 1, now(), now(), 0, 0, '{}', '[]', '[]', '{}',
           now() - make_interval(days => $4))`,
        [serviceId, hex(16), hex(8), receivedDaysAgo],
      );
    }
  }

  it('deletes, in chunks, only spans received before the retention period', async () => {
    const service = await createService(db.pool);
    await insertSpans(service.id, 5, 8);
    await insertSpans(service.id, 3, 6);
    await insertSpans(service.id, 2, 0);
    const job = new RetentionJob(db.pool, { days: 7, chunkSize: 2 }, pino({ level: 'silent' }));

    expect(await job.runOnce()).toBe(5);
    const left = await db.pool.query<{ days: number }>(
      `SELECT extract(day FROM now() - received_at)::int AS days FROM spans ORDER BY days`,
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
          `SELECT count(*) AS n FROM spans WHERE service_id = $1`,
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
