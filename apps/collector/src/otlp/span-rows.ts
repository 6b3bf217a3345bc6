import type { Int64, OtlpAnyValue, OtlpKeyValue, OtlpSpan, OtlpTraceRequest } from './otlp-types';

/** One row of the `spans` table, ready for the batch INSERT (jsonb columns pre-serialised). */
export interface SpanRow {
  readonly serviceId: string;
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId: string | null;
  readonly name: string;
  readonly kind: number;
  readonly startTime: string;
  readonly endTime: string;
  readonly durationNs: string;
  readonly statusCode: number;
  readonly statusMessage: string | null;
  readonly attributes: string;
  readonly events: string;
  readonly links: string;
  readonly resource: string;
}

export interface ConvertedSpans {
  readonly rows: SpanRow[];
  readonly rejectedSpans: number;
  /** Why spans were rejected (the first few reasons), for the partial-success answer. */
  readonly errorMessage: string;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const MAX_REASONS = 3;

/** OTLP spans → rows for `serviceId`; spans with invalid ids or times are counted, not stored. */
export function toSpanRows(request: OtlpTraceRequest, serviceId: string): ConvertedSpans {
  const rows: SpanRow[] = [];
  const reasons = new Set<string>();
  let rejectedSpans = 0;
  for (const resourceSpans of request.resourceSpans ?? []) {
    const resource = JSON.stringify(attributesToJson(resourceSpans.resource?.attributes));
    for (const scopeSpans of resourceSpans.scopeSpans ?? []) {
      for (const span of scopeSpans.spans ?? []) {
        const row = toRow(span, serviceId, resource);
        if (typeof row === 'string') {
          rejectedSpans++;
          if (reasons.size < MAX_REASONS) reasons.add(row);
        } else rows.push(row);
      }
    }
  }
  return { rows, rejectedSpans, errorMessage: [...reasons].join('; ') };
}

/** The row, or why the span cannot be stored. */
function toRow(span: OtlpSpan, serviceId: string, resource: string): SpanRow | string {
  const traceId = validId(span.traceId, 16);
  if (!traceId) return 'trace id must be 16 bytes, not all zero';
  const spanId = validId(span.spanId, 8);
  if (!spanId) return 'span id must be 8 bytes, not all zero';
  let parentSpanId: string | null = null;
  if (span.parentSpanId && span.parentSpanId.length > 0) {
    parentSpanId = validId(span.parentSpanId, 8);
    if (!parentSpanId) return 'parent span id must be empty or 8 bytes';
  }
  const start = toBigInt(span.startTimeUnixNano);
  const end = toBigInt(span.endTimeUnixNano);
  if (start <= 0n || end <= 0n) return 'start and end times are required';
  if (end < start) return 'end time must not be before start time';
  const kind = span.kind ?? 0;
  if (kind < 0 || kind > 5) return 'kind must be 0-5';
  const statusCode = span.status?.code ?? 0;
  if (statusCode < 0 || statusCode > 2) return 'status code must be 0-2';

  return {
    serviceId,
    traceId,
    spanId,
    parentSpanId,
    name: clean(span.name ?? ''),
    kind,
    startTime: nanosToTimestamp(start),
    endTime: nanosToTimestamp(end),
    durationNs: (end - start).toString(),
    statusCode,
    statusMessage: span.status?.message ? clean(span.status.message) : null,
    attributes: JSON.stringify(attributesToJson(span.attributes)),
    events: JSON.stringify(
      (span.events ?? []).map((event) => ({
        name: clean(event.name ?? ''),
        time: nanosToTimestamp(toBigInt(event.timeUnixNano)),
        attributes: attributesToJson(event.attributes),
      })),
    ),
    links: JSON.stringify(
      (span.links ?? []).map((link) => ({
        trace_id: hex(link.traceId),
        span_id: hex(link.spanId),
        attributes: attributesToJson(link.attributes),
      })),
    ),
    resource,
  };
}

function validId(bytes: Uint8Array | null | undefined, length: number): string | null {
  if (!bytes || bytes.length !== length || bytes.every((b) => b === 0)) return null;
  return hex(bytes);
}

function hex(bytes: Uint8Array | null | undefined): string {
  return bytes ? Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex') : '';
}

export function toBigInt(value: Int64 | null | undefined): bigint {
  if (value === null || value === undefined) return 0n;
  if (typeof value === 'number')
    return Number.isSafeInteger(value) ? BigInt(value) : BigInt(Math.trunc(value));
  if (typeof value === 'string') return BigInt(value);
  // protobufjs Long: fixed64 times are unsigned.
  return (BigInt(value.high >>> 0) << 32n) | BigInt(value.low >>> 0);
}

/**
 * Unix nanoseconds → an ISO timestamp with microseconds (what timestamptz keeps); the exact
 * nanoseconds survive in duration_ns.
 */
export function nanosToTimestamp(nanos: bigint): string {
  const micros = nanos / 1000n;
  const millis = micros / 1000n;
  const iso = new Date(Number(millis)).toISOString();
  const fraction = (micros % 1000n).toString().padStart(3, '0');
  return `${iso.slice(0, -1)}${fraction}Z`;
}

export function attributesToJson(
  attributes: readonly OtlpKeyValue[] | null | undefined,
): Record<string, Json> {
  const result: Record<string, Json> = {};
  for (const attribute of attributes ?? []) {
    result[clean(attribute.key ?? '')] = anyValueToJson(attribute.value);
  }
  return result;
}

function anyValueToJson(value: OtlpAnyValue | null | undefined): Json {
  if (!value) return null;
  if (value.stringValue !== null && value.stringValue !== undefined)
    return clean(value.stringValue);
  if (value.boolValue !== null && value.boolValue !== undefined) return value.boolValue;
  if (value.intValue !== null && value.intValue !== undefined) {
    // JSON numbers lose precision past 2^53: keep those as decimal strings.
    const int = signed64(value.intValue);
    return int >= BigInt(Number.MIN_SAFE_INTEGER) && int <= BigInt(Number.MAX_SAFE_INTEGER)
      ? Number(int)
      : int.toString();
  }
  if (value.doubleValue !== null && value.doubleValue !== undefined)
    return Number.isFinite(value.doubleValue) ? value.doubleValue : String(value.doubleValue);
  if (value.arrayValue) return (value.arrayValue.values ?? []).map(anyValueToJson);
  if (value.kvlistValue) return attributesToJson(value.kvlistValue.values);
  if (value.bytesValue) return Buffer.from(value.bytesValue).toString('base64');
  return null;
}

/** AnyValue.int_value is a signed int64 (a Long from protobuf, a string or number from JSON). */
function signed64(value: Int64): bigint {
  return typeof value === 'object' ? BigInt.asIntN(64, toBigInt(value)) : toBigInt(value);
}

/**
 * PostgreSQL text and jsonb cannot hold NUL or lone surrogates: one such string would fail
 * the whole batch on every retry, so they are replaced here.
 */
function clean(value: string): string {
  const withoutNul = value.includes('\0') ? value.replaceAll('\0', '\uFFFD') : value;
  return SURROGATE.test(withoutNul) ? withoutNul.replace(LONE_SURROGATE, '\uFFFD') : withoutNul;
}

const SURROGATE = /[\uD800-\uDFFF]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
