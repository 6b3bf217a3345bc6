import { names, spans } from '@slipway/db-schema';
import type { Pool } from 'pg';
import type { Logger } from 'pino';

export interface RetentionOptions {
  readonly days: number;
  /** Rows deleted per statement, so no single delete holds locks for long. */
  readonly chunkSize?: number;
  readonly intervalMs?: number;
  readonly firstRunDelayMs?: number;
}

export const RETENTION_INTERVAL_MS = 10 * 60 * 1000;
const FIRST_RUN_DELAY_MS = 30 * 1000;
const CHUNK_SIZE = 10_000;

/**
 * Deletes spans received longer ago than the retention period: shortly after start, then on
 * an interval. Chunked deletes keep each statement short; the BRIN index on received_at
 * finds the old rows cheaply because rows arrive in that order.
 */
export class RetentionJob {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;
  private stopped = false;

  constructor(
    private readonly pool: Pool,
    private readonly options: RetentionOptions,
    private readonly logger: Logger,
  ) {}

  start(): void {
    const interval = this.options.intervalMs ?? RETENTION_INTERVAL_MS;
    const tick = (delay: number): void => {
      if (this.stopped) return;
      this.timer = setTimeout(() => {
        this.runOnce().then(
          () => tick(interval),
          (error: unknown) => {
            this.logger.warn({ err: error }, 'deleting expired spans failed; will retry');
            tick(interval);
          },
        );
      }, delay);
      this.timer.unref();
    };
    tick(this.options.firstRunDelayMs ?? FIRST_RUN_DELAY_MS);
  }

  /** Deletes every expired span; resolves with how many. Concurrent calls share one run. */
  runOnce(): Promise<number> {
    this.running ??= this.deleteExpired().finally(() => (this.running = null));
    return this.running;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running?.catch(() => undefined);
  }

  private async deleteExpired(): Promise<number> {
    const chunkSize = this.options.chunkSize ?? CHUNK_SIZE;
    let total = 0;
    for (;;) {
      const result = await this.pool.query(
        `DELETE FROM ${spans.name} WHERE ctid = ANY (ARRAY(
           SELECT ctid FROM ${spans.name}
            WHERE ${names(spans).received_at} < now() - make_interval(days => $1)
            LIMIT $2))`,
        [this.options.days, chunkSize],
      );
      const deleted = result.rowCount ?? 0;
      total += deleted;
      if (deleted < chunkSize) break;
    }
    if (total > 0) this.logger.info({ deleted: total }, 'deleted expired spans');
    return total;
  }
}
