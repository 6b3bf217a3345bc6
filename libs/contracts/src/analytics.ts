/**
 * Request analytics of one service over a time window, computed from the access logs the edge
 * writes (`/v1/services/{id}/analytics`). Shared by the API and the CLI.
 */

/** The HTTP status classes counted; a status outside 100..599 counts in none of them. */
export const STATUS_CLASSES = ['1xx', '2xx', '3xx', '4xx', '5xx'] as const;
export type StatusClass = (typeof STATUS_CLASSES)[number];

/** Latency percentiles in milliseconds (continuous, interpolated); null over no requests. */
export interface LatencyPercentilesResource {
  p50: number | null;
  p95: number | null;
  p99: number | null;
}

/** One of the paths requested most in the window. */
export interface PathRequestsResource {
  /** Without the query string, as the access logs store it. */
  path: string;
  requests: number;
}

/** One of the client addresses that sent the most requests in the window. */
export interface ClientIpRequestsResource {
  client_ip: string;
  requests: number;
}

export interface ServiceAnalyticsResource {
  service_id: string;
  /** The window's start (inclusive), ISO 8601; null when unbounded. */
  start: string | null;
  /** The window's end (exclusive), ISO 8601; null when unbounded. */
  end: string | null;
  /** Requests in the window (a WebSocket is one, counted when its tunnel closed). */
  requests: number;
  /** Requests per status class. */
  status_classes: Record<StatusClass, number>;
  /** The share of requests answered 5xx, from 0 to 1; 0 without requests. */
  error_ratio: number;
  latency_ms: LatencyPercentilesResource;
  /** Request body bytes, summed. */
  bytes_in: number;
  /** Response body bytes, summed. */
  bytes_out: number;
  /** The most requested paths, most first (ties by path). */
  top_paths: PathRequestsResource[];
  /** The busiest client addresses, most first (ties by address); rows without one are left out. */
  top_client_ips: ClientIpRequestsResource[];
}
