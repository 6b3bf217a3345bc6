import { spans, unnestInsertSql, type ColumnOf } from '@slipway/db-schema';
import type { Pool } from 'pg';
import type { Logger } from 'pino';
import type { SpanRow } from '../otlp/span-rows';

export interface SpanWriterOptions {
  /** Spans held in memory (queued or being written); a write that does not fit is refused. */
  readonly capacitySpans: number;
  readonly batchSize: number;
  /** Longest a span waits for its batch to fill. */
  readonly flushIntervalMs: number;
  /** INSERTs running at once. */
  readonly maxConcurrentFlushes: number;
}

/** The rows were refused by the database itself (not an outage): retrying cannot help. */
export class RejectedRowsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RejectedRowsError';
  }
}

/** The database did not take the rows (down, unreachable): the client should retry. */
export class WriteFailedError extends Error {
  constructor(override readonly cause: unknown) {
    super(`writing spans failed: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'WriteFailedError';
  }
}

interface Ticket {
  /** Rows of this write not yet committed. */
  remaining: number;
  settled: boolean;
  resolve(): void;
  reject(error: Error): void;
}

interface QueuedWrite {
  readonly rows: readonly SpanRow[];
  /** Rows before this index are already in a batch. */
  taken: number;
  readonly ticket: Ticket;
  readonly queuedAt: number;
}

interface BatchPart {
  readonly ticket: Ticket;
  readonly rows: SpanRow[];
}

/** Each SpanRow field, its column and the array type it travels as. */
export const SPAN_COLUMNS = [
  ['serviceId', 'service_id', 'uuid'],
  ['traceId', 'trace_id', 'char(32)'],
  ['spanId', 'span_id', 'char(16)'],
  ['parentSpanId', 'parent_span_id', 'char(16)'],
  ['name', 'name', 'text'],
  ['kind', 'kind', 'int2'],
  ['startTime', 'start_time', 'timestamptz'],
  ['endTime', 'end_time', 'timestamptz'],
  ['durationNs', 'duration_ns', 'int8'],
  ['statusCode', 'status_code', 'int2'],
  ['statusMessage', 'status_message', 'text'],
  ['attributes', 'attributes', 'jsonb'],
  ['events', 'events', 'jsonb'],
  ['links', 'links', 'jsonb'],
  ['resource', 'resource', 'jsonb'],
] as const satisfies readonly (readonly [keyof SpanRow, ColumnOf<typeof spans>, string])[];

// One statement for any batch size: each column travels as one array parameter.
const INSERT_SQL = unnestInsertSql(
  spans,
  SPAN_COLUMNS.map(([, column, type]) => [column, type] as const),
  'do nothing',
);

/**
 * Writes `rows` with the collector's own statement, in the order given (the span writer
 * sorts them first). The collector bench measures the same call as its baseline.
 */
export async function insertSpanRows(pool: Pool, rows: readonly SpanRow[]): Promise<void> {
  await pool.query(
    INSERT_SQL,
    SPAN_COLUMNS.map(([field]) => rows.map((row) => row[field])),
  );
}

/**
 * A bounded in-memory queue of spans written in multi-row INSERTs. `write` resolves only once
 * every row it was given is committed, so a client is told "accepted" only for spans that are
 * stored; duplicates (SDK retries) are ignored by the primary key.
 */
export class SpanWriter {
  private readonly queue: QueuedWrite[] = [];
  private queuedRows = 0;
  private inFlightRows = 0;
  private readonly flushes = new Set<Promise<void>>();
  private timer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(
    private readonly pool: Pool,
    private readonly options: SpanWriterOptions,
    private readonly logger: Logger,
  ) {}

  /** Spans queued or being written. */
  get pendingSpans(): number {
    return this.queuedRows + this.inFlightRows;
  }

  /**
   * Queues the rows and resolves when all are committed; returns null, queuing nothing, when
   * they do not fit (the caller answers 429).
   */
  write(rows: readonly SpanRow[]): Promise<void> | null {
    if (this.closed) throw new Error('the span writer is closed');
    if (rows.length === 0) return Promise.resolve();
    if (this.pendingSpans + rows.length > this.options.capacitySpans) return null;
    const done = new Promise<void>((resolve, reject) => {
      const ticket: Ticket = { remaining: rows.length, settled: false, resolve, reject };
      this.queue.push({ rows, taken: 0, ticket, queuedAt: Date.now() });
    });
    this.queuedRows += rows.length;
    this.schedule();
    return done;
  }

  /** Writes everything queued and waits for it; later writes are refused. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    while (this.queuedRows > 0) this.startFlush();
    while (this.flushes.size > 0) await Promise.allSettled([...this.flushes]);
  }

  private schedule(): void {
    while (
      this.queuedRows >= this.options.batchSize &&
      this.flushes.size < this.options.maxConcurrentFlushes
    ) {
      this.startFlush();
    }
    if (this.queuedRows === 0 || this.timer || this.closed) return;
    const oldest = (this.queue[0] as QueuedWrite).queuedAt;
    const delay = Math.max(0, oldest + this.options.flushIntervalMs - Date.now());
    this.timer = setTimeout(() => {
      this.timer = null;
      if (this.queuedRows > 0 && this.flushes.size < this.options.maxConcurrentFlushes)
        this.startFlush();
      this.schedule();
    }, delay);
  }

  private startFlush(): void {
    const parts = this.takeBatch();
    const size = parts.reduce((sum, part) => sum + part.rows.length, 0);
    this.inFlightRows += size;
    const flush = this.writeBatch(parts).finally(() => {
      this.inFlightRows -= size;
      this.flushes.delete(flush);
      if (!this.closed) this.schedule();
    });
    this.flushes.add(flush);
  }

  private takeBatch(): BatchPart[] {
    const parts: BatchPart[] = [];
    let room = this.options.batchSize;
    while (room > 0 && this.queue.length > 0) {
      const head = this.queue[0] as QueuedWrite;
      const rows = head.rows.slice(head.taken, head.taken + room);
      head.taken += rows.length;
      room -= rows.length;
      parts.push({ ticket: head.ticket, rows });
      if (head.taken === head.rows.length) this.queue.shift();
    }
    this.queuedRows -= this.options.batchSize - room;
    return parts;
  }

  private async writeBatch(parts: BatchPart[]): Promise<void> {
    try {
      await this.insert(parts.flatMap((part) => part.rows));
      for (const part of parts) committed(part);
    } catch (error) {
      if (!isDataError(error)) {
        this.logger.error({ err: error }, 'writing a batch of spans failed');
        for (const part of parts) fail(part.ticket, new WriteFailedError(error));
        return;
      }
      // One request's rows broke the batch: write each request's rows on their own so
      // only the offending request is refused.
      for (const part of parts) {
        try {
          await this.insert(part.rows);
          committed(part);
        } catch (partError) {
          if (isDataError(partError)) {
            this.logger.warn({ err: partError }, 'the database refused a request’s spans');
            fail(part.ticket, new RejectedRowsError((partError as Error).message));
          } else fail(part.ticket, new WriteFailedError(partError));
        }
      }
    }
  }

  private async insert(rows: readonly SpanRow[]): Promise<void> {
    // A fixed key order keeps concurrent batches that share rows from deadlocking.
    await insertSpanRows(this.pool, [...rows].sort(compareKeys));
  }
}

function committed(part: BatchPart): void {
  part.ticket.remaining -= part.rows.length;
  if (part.ticket.remaining === 0 && !part.ticket.settled) {
    part.ticket.settled = true;
    part.ticket.resolve();
  }
}

function fail(ticket: Ticket, error: Error): void {
  if (ticket.settled) return;
  ticket.settled = true;
  ticket.reject(error);
}

function compareKeys(a: SpanRow, b: SpanRow): number {
  return (
    compare(a.serviceId, b.serviceId) ||
    compare(a.traceId, b.traceId) ||
    compare(a.spanId, b.spanId)
  );
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** SQLSTATE classes 22 (data exception), 23 (integrity) and 54 (limits): the rows are at fault. */
function isDataError(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && /^(22|23|54)/.test(code);
}
