import type { Pool } from 'pg';
import type { Logger } from 'pino';
import type { EdgeMetrics } from '../observability/metrics';
import {
  type AccessLogBlock,
  type AccessLogRow,
  accessLogLine,
  copyAccessLogs,
  deleteExpired,
  insertRequestMetrics,
} from './access-log-store';
import { BatchWriter } from './batch-writer';
import { type RequestMetricsRow, RequestRollup } from './request-rollup';

export interface EdgeTelemetryOptions {
  /** Most rows per INSERT. */
  readonly batchSize: number;
  /** How often buffered rows (and ended metric buckets) are written. */
  readonly flushIntervalMs: number;
  /** Most rows held in memory per table; beyond it the oldest are dropped and counted. */
  readonly bufferRows: number;
  /** Access logs and request metrics older than this are deleted. */
  readonly retentionDays: number;
}

const RETENTION_INTERVAL_MS = 10 * 60 * 1000;
/**
 * Access-log lines are queued joined in blocks of this many. Each line is many small strings
 * until joined; queued one by one for a second they outlived young-generation collections,
 * and measured 15% of the edge's CPU per request more than blocks (bench/edge, A/B).
 */
const LINES_PER_BLOCK = 256;
const SWITCHING_PROTOCOLS = 101;
const RETENTION_FIRST_RUN_MS = 30 * 1000;

/**
 * Access logs and per-service request metrics. `record` is all the proxy path does: a push
 * into a bounded buffer and a histogram bump, never a database round trip. A timer writes
 * the buffers in batches and the ended 10 s metric buckets; another deletes expired rows.
 */
export class EdgeTelemetry {
  private readonly accessLogs: BatchWriter<AccessLogBlock>;
  private lines: string[] = [];
  private readonly requestMetrics: BatchWriter<RequestMetricsRow>;
  private readonly rollup = new RequestRollup();
  private flushTimer: NodeJS.Timeout | undefined;
  private retentionTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly pool: Pool,
    private readonly options: EdgeTelemetryOptions,
    private readonly metrics: EdgeMetrics,
    private readonly logger: Logger,
  ) {
    const writerOptions = { capacity: options.bufferRows, batchSize: options.batchSize };
    this.accessLogs = new BatchWriter({
      ...writerOptions,
      rowsOf: (block) => block.rows,
      write: (blocks) => copyAccessLogs(pool, blocks),
      onDrop: (count) => metrics.accessLogDropped(count),
      onError: (error) => this.writeFailed('access_logs', error),
    });
    this.requestMetrics = new BatchWriter({
      ...writerOptions,
      write: (rows) => insertRequestMetrics(pool, rows),
      onDrop: (count) => metrics.requestMetricsDropped(count),
      onError: (error) => this.writeFailed('request_metrics', error),
    });
  }

  /**
   * One finished request. `latencyMs` null counts the request without a latency sample
   * (a WebSocket: its duration is the tunnel's lifetime).
   */
  record(row: AccessLogRow): void {
    this.lines.push(accessLogLine(row));
    if (this.lines.length >= LINES_PER_BLOCK) this.sealLines();
    // A tunnel's lifetime (101) is not a latency; a refused handshake's time is.
    const latencyMs = row.status === SWITCHING_PROTOCOLS ? null : row.durationMs;
    this.rollup.observe(row.serviceId, row.status, latencyMs, Date.now());
  }

  start(): void {
    this.flushTimer = setInterval(() => {
      this.moveBuckets(this.rollup.takeClosed(Date.now()));
      void this.flushBuffers();
    }, this.options.flushIntervalMs);
    this.flushTimer.unref();
    const retain = (delay: number): void => {
      this.retentionTimer = setTimeout(() => {
        deleteExpired(this.pool, this.options.retentionDays)
          .then((deleted) => {
            if (deleted > 0)
              this.logger.info({ deleted }, 'deleted expired access logs and metrics');
          })
          .catch((error: unknown) => this.logger.warn({ err: error }, 'retention delete failed'))
          .finally(() => {
            if (this.retentionTimer) retain(RETENTION_INTERVAL_MS);
          });
      }, delay);
      this.retentionTimer.unref();
    };
    retain(RETENTION_FIRST_RUN_MS);
  }

  /** Writes everything buffered now, the current metric buckets included (tests, shutdown). */
  async flush(): Promise<void> {
    this.moveBuckets(this.rollup.takeAll());
    await this.flushBuffers();
  }

  /** Stops the timers, then one last attempt to write what is buffered. */
  async stop(): Promise<void> {
    clearInterval(this.flushTimer);
    clearTimeout(this.retentionTimer);
    this.flushTimer = undefined;
    this.retentionTimer = undefined;
    await this.flush();
  }

  private moveBuckets(rows: readonly RequestMetricsRow[]): void {
    for (const row of rows) this.requestMetrics.push(row);
  }

  private async flushBuffers(): Promise<void> {
    this.sealLines();
    await Promise.all([this.accessLogs.flush(), this.requestMetrics.flush()]);
  }

  private sealLines(): void {
    if (this.lines.length === 0) return;
    this.accessLogs.push({ text: this.lines.join(''), rows: this.lines.length });
    this.lines = [];
  }

  private writeFailed(table: string, error: unknown): void {
    this.metrics.telemetryWriteFailed(table);
    this.logger.warn(
      { err: error, table },
      'writing telemetry failed; rows kept within the buffer bound',
    );
  }
}
