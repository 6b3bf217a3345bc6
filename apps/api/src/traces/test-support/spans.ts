import { type TestApp } from '../../../test/support/test-app';

/** A span as a test wants it stored; the rest gets the collector's defaults. */
export interface SpanSeed {
  trace: string;
  span: string;
  parent?: string;
  name: string;
  /** OTLP SpanKind number; default 1 (internal). */
  kind?: number;
  /** A Date, or ISO text with microseconds. */
  start: Date | string;
  durationNs: number;
  /** OTLP StatusCode number; default 0 (unset). */
  status?: number;
  message?: string;
  attributes?: Record<string, unknown>;
  events?: unknown[];
  links?: unknown[];
  resource?: Record<string, unknown>;
}

/** A distinct, valid trace id for a small number. */
export function traceId(n: number): string {
  return n.toString(16).padStart(32, '0');
}

/** Inserts rows into `spans` as apps/collector does (end = start + duration). */
export async function insertSpans(
  t: TestApp,
  serviceId: string,
  spans: readonly SpanSeed[],
): Promise<void> {
  for (const span of spans) {
    const start = typeof span.start === 'string' ? span.start : span.start.toISOString();
    await t.dataSource.query(
      `INSERT INTO spans (service_id, trace_id, span_id, parent_span_id, name, kind, start_time,
                          end_time, duration_ns, status_code, status_message, attributes, events,
                          links, resource)
       VALUES ($1, $2, $3, $4, $5, $6, $7::timestamptz,
               $7::timestamptz + make_interval(secs => $8::bigint / 1e9), $8, $9, $10, $11, $12,
               $13, $14)`,
      [
        serviceId,
        span.trace,
        span.span,
        span.parent ?? null,
        span.name,
        span.kind ?? 1,
        start,
        span.durationNs,
        span.status ?? 0,
        span.message ?? null,
        JSON.stringify(span.attributes ?? {}),
        JSON.stringify(span.events ?? []),
        JSON.stringify(span.links ?? []),
        JSON.stringify(span.resource ?? {}),
      ],
    );
  }
}
