/** Trace shapes of the public API (`/v1/services/{id}/traces`), shared by the API and the CLI. */

/** Cursor pagination for streams (traces): pass `next_cursor` back as `cursor`; null at the end. */
export interface CursorPagination {
  next_cursor: string | null;
}

export interface CursorListEnvelope<T> {
  data: T[];
  pagination: CursorPagination;
}

/** OTLP SpanKind by its number (0..5); any other number reads as `unspecified`. */
export const SPAN_KINDS = [
  'unspecified',
  'internal',
  'server',
  'client',
  'producer',
  'consumer',
] as const;
export type SpanKindName = (typeof SPAN_KINDS)[number];

/** OTLP StatusCode by its number (0..2). */
export const SPAN_STATUS_CODES = ['unset', 'ok', 'error'] as const;
export type SpanStatusName = (typeof SPAN_STATUS_CODES)[number];

/** One trace in a list: what its stored spans add up to. */
export interface TraceSummaryResource {
  /** 32 lowercase hex characters. */
  trace_id: string;
  /** The span without a parent; while none is stored, the earliest span's name. */
  root_span_name: string;
  /** Earliest span start, ISO 8601 with microseconds. */
  start_time: string;
  /** Latest span end, ISO 8601 with microseconds. */
  end_time: string;
  /** From the earliest start to the latest end. */
  duration_ms: number;
  span_count: number;
  /** Some span has status `error`. */
  error: boolean;
}

export interface SpanStatusResource {
  code: SpanStatusName;
  message: string | null;
}

/** One span with the spans whose parent it is; children are ordered by start time. */
export interface SpanResource {
  span_id: string;
  /** Null for a root; set but not found in the trace for an orphan (shown as a root). */
  parent_span_id: string | null;
  name: string;
  kind: SpanKindName;
  start_time: string;
  end_time: string;
  duration_ms: number;
  status: SpanStatusResource;
  attributes: Record<string, unknown>;
  events: unknown[];
  links: unknown[];
  resource: Record<string, unknown>;
  children: SpanResource[];
}

/** A whole trace: the summary and its spans as a tree (roots first by start time). */
export interface TraceResource extends TraceSummaryResource {
  spans: SpanResource[];
}

/** `POST /v1/services/{id}/token/rotate`: never the token itself. */
export interface ServiceTokenRotationResource {
  service_id: string;
  /** Until when the replaced token is still accepted. */
  previous_token_expires_at: string;
  /** The deployment rolling the new token out, or null when nothing runs. */
  deployment_id: string | null;
}
