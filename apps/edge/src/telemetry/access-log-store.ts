import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { accessLogs, names, requestMetrics } from '@slipway/db-schema';
import type { Pool } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { RequestMetricsRow } from './request-rollup';

/** One proxied request, as `access_logs` stores it. */
export interface AccessLogRow {
  readonly time: Date;
  readonly serviceId: string;
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly durationMs: number;
  readonly bytesIn: number;
  readonly bytesOut: number;
  readonly clientIp: string | null;
  readonly userAgent: string | null;
  readonly requestId: string;
}

const MAX_PATH_LENGTH = 2048;
const MAX_USER_AGENT_LENGTH = 512;
const MAX_METHOD_LENGTH = 32;
const MAX_REQUEST_ID_LENGTH = 200;

/** PostgreSQL text cannot hold NUL; one such row must not make a whole batch fail forever. */
function clean(value: string, maxLength: number): string {
  const cut = value.length > maxLength ? value.slice(0, maxLength) : value;
  return cut.includes('\u0000') ? cut.replaceAll('\u0000', '') : cut;
}

/**
 * The path as stored: without its query string (it may carry tokens, never logged), bounded,
 * without NUL.
 */
export function pathOf(url: string | undefined): string {
  const raw = url ?? '/';
  const query = raw.indexOf('?');
  return clean(query === -1 ? raw : raw.slice(0, query), MAX_PATH_LENGTH);
}

export function userAgentOf(value: string | undefined): string | null {
  return value === undefined || value === '' ? null : clean(value, MAX_USER_AGENT_LENGTH);
}

const a = names(accessLogs);
/** The order `accessLogLine` writes the fields in. */
const COPY_ACCESS_LOGS = `COPY ${accessLogs.name} (${[
  a.time,
  a.service_id,
  a.method,
  a.path,
  a.status,
  a.duration_ms,
  a.bytes_in,
  a.bytes_out,
  a.client_ip,
  a.user_agent,
  a.request_id,
].join(', ')}) FROM STDIN`;

const m = names(requestMetrics);

// COPY's text format: a backslash starts an escape, tab and newline separate, \N is NULL.
const NEEDS_ESCAPE = /[\\\t\n\r]/;
const ESCAPES: Readonly<Record<string, string>> = {
  '\\': '\\\\',
  '\t': '\\t',
  '\n': '\\n',
  '\r': '\\r',
};

function copyText(value: string | null): string {
  if (value === null) return '\\N';
  return NEEDS_ESCAPE.test(value) ? value.replace(/[\\\t\n\r]/g, (c) => ESCAPES[c] ?? c) : value;
}

/** The last second written ("2026-12-07T08:00:00"): rows come in time order, many per second. */
let isoSecond = { second: Number.NaN, text: '' };

/** `time.toISOString()`, the date and time of day formatted once per second. */
function isoTime(time: Date): string {
  const ms = time.getTime();
  const second = Math.floor(ms / 1000);
  if (second !== isoSecond.second) {
    isoSecond = { second, text: new Date(second * 1000).toISOString().slice(0, 19) };
  }
  const fraction = ms - second * 1000;
  return `${isoSecond.text}.${fraction < 10 ? '00' : fraction < 100 ? '0' : ''}${fraction}Z`;
}

/**
 * One row as a line of COPY's text format. Formatted when the request ends, so the buffer
 * holds one string per row rather than an object graph, and a flush is a join and a write.
 */
export function accessLogLine(row: AccessLogRow): string {
  const method = copyText(clean(row.method, MAX_METHOD_LENGTH));
  const requestId = copyText(clean(row.requestId, MAX_REQUEST_ID_LENGTH));
  return (
    `${isoTime(row.time)}\t${row.serviceId}\t${method}\t${copyText(row.path)}\t` +
    `${row.status}\t${row.durationMs}\t${Math.round(row.bytesIn)}\t${Math.round(row.bytesOut)}\t` +
    `${copyText(row.clientIp)}\t${copyText(row.userAgent)}\t${requestId}\n`
  );
}

/** Consecutive access-log lines joined into one string, and how many rows that is. */
export interface AccessLogBlock {
  readonly text: string;
  readonly rows: number;
}

/** One COPY per batch: the cheapest way into PostgreSQL for the edge and for the server. */
export async function copyAccessLogs(pool: Pool, blocks: readonly AccessLogBlock[]): Promise<void> {
  if (blocks.length === 0) return;
  const client = await pool.connect();
  try {
    const text = Readable.from(blocks.map((block) => block.text));
    await pipeline(text, client.query(copyFrom(COPY_ACCESS_LOGS)));
  } catch (error) {
    // A COPY cut off part-way leaves the connection in an unknown state: do not reuse it.
    client.release(error instanceof Error ? error : new Error(String(error)));
    throw error;
  }
  client.release();
}

export async function insertRequestMetrics(
  pool: Pool,
  rows: readonly RequestMetricsRow[],
): Promise<void> {
  if (rows.length === 0) return;
  await pool.query(
    `INSERT INTO ${requestMetrics.name}
       (${m.service_id}, ${m.bucket_start}, ${m.requests}, ${m.errors_5xx}, ${m.latency_p95_ms})
     SELECT * FROM unnest($1::uuid[], $2::timestamptz[], $3::int[], $4::int[], $5::float8[])`,
    [
      rows.map((r) => r.serviceId),
      rows.map((r) => r.bucketStart),
      rows.map((r) => r.requests),
      rows.map((r) => r.errors5xx),
      rows.map((r) => r.latencyP95Ms),
    ],
  );
}

/**
 * Deletes access logs and request metrics older than the retention period, in chunks so no
 * statement holds locks for long; the BRIN indexes on the time columns find the old rows
 * cheaply because rows arrive in time order. Resolves with how many rows went.
 */
export async function deleteExpired(pool: Pool, days: number, chunkSize = 10_000): Promise<number> {
  let total = 0;
  for (const [table, column] of [
    [accessLogs.name, a.time],
    [requestMetrics.name, m.bucket_start],
  ] as const) {
    for (;;) {
      const result = await pool.query(
        `DELETE FROM ${table} WHERE ctid = ANY (ARRAY(
           SELECT ctid FROM ${table} WHERE ${column} < now() - make_interval(days => $1) LIMIT $2))`,
        [days, chunkSize],
      );
      const deleted = result.rowCount ?? 0;
      total += deleted;
      if (deleted < chunkSize) break;
    }
  }
  return total;
}
