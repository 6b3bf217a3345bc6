import type { Pool } from 'pg';
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

/** The path without its query string: query strings may carry tokens, which are never logged. */
export function pathOf(url: string | undefined): string {
  const raw = url ?? '/';
  const query = raw.indexOf('?');
  return clean(query === -1 ? raw : raw.slice(0, query), MAX_PATH_LENGTH);
}

export function userAgentOf(value: string | undefined): string | null {
  return value === undefined || value === '' ? null : clean(value, MAX_USER_AGENT_LENGTH);
}

/** One multi-row INSERT per batch: each column travels as one array parameter. */
export async function insertAccessLogs(pool: Pool, rows: readonly AccessLogRow[]): Promise<void> {
  if (rows.length === 0) return;
  await pool.query(
    `INSERT INTO access_logs (time, service_id, method, path, status, duration_ms, bytes_in,
                              bytes_out, client_ip, user_agent, request_id)
     SELECT * FROM unnest($1::timestamptz[], $2::uuid[], $3::text[], $4::text[], $5::smallint[],
                          $6::float8[], $7::bigint[], $8::bigint[], $9::text[], $10::text[],
                          $11::text[])`,
    [
      rows.map((r) => r.time),
      rows.map((r) => r.serviceId),
      rows.map((r) => clean(r.method, MAX_METHOD_LENGTH)),
      rows.map((r) => r.path),
      rows.map((r) => r.status),
      rows.map((r) => r.durationMs),
      rows.map((r) => Math.round(r.bytesIn)),
      rows.map((r) => Math.round(r.bytesOut)),
      rows.map((r) => r.clientIp),
      rows.map((r) => r.userAgent),
      rows.map((r) => clean(r.requestId, MAX_REQUEST_ID_LENGTH)),
    ],
  );
}

export async function insertRequestMetrics(
  pool: Pool,
  rows: readonly RequestMetricsRow[],
): Promise<void> {
  if (rows.length === 0) return;
  await pool.query(
    `INSERT INTO request_metrics (service_id, bucket_start, requests, errors_5xx, latency_p95_ms)
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
    ['access_logs', 'time'],
    ['request_metrics', 'bucket_start'],
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
