/**
 * Access logs and request metrics: what the edge writes to PostgreSQL and the API reads back
 * (`/v1/services/{id}/access-logs`, `/v1/services/{id}/metrics`).
 */

/** The width of one request-metrics rollup bucket: the edge writes one row per service per bucket. */
export const REQUEST_METRICS_BUCKET_SECONDS = 10;

/** One request the edge proxied (a WebSocket is one row, written when its tunnel closes). */
export interface AccessLogResource {
  /** When the request arrived, ISO 8601 with milliseconds. */
  time: string;
  method: string;
  /** The request path without its query string (query strings may carry credentials). */
  path: string;
  /** The status answered; 101 for a WebSocket that was proxied. */
  status: number;
  /** Arrival to the end of the response (for a WebSocket: of the tunnel). */
  duration_ms: number;
  /** Request body bytes (for a WebSocket: bytes sent to the instance, handshake included). */
  bytes_in: number;
  /** Response body bytes (for a WebSocket: bytes received from the instance). */
  bytes_out: number;
  client_ip: string | null;
  user_agent: string | null;
  /** The X-Request-Id the edge answered with and passed to the instance. */
  request_id: string;
}

export const METRIC_NAMES = [
  'request_rate',
  'error_rate',
  'latency_p95',
  'cpu_usage',
  'memory_usage',
] as const;
export type MetricName = (typeof METRIC_NAMES)[number];

export interface MetricPointResource {
  /** Start of the bucket (request metrics) or the time of the reading (runtime usage). */
  time: string;
  value: number;
}

/** One metric's series, with a status of its own so one failing metric fails alone. */
export interface MetricSeriesResource {
  name: MetricName;
  status: 'ok' | 'error';
  /** Why the series could not be read (status `error` only). */
  error?: string;
  points: MetricPointResource[];
}
