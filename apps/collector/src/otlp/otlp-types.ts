/**
 * The shape of a decoded ExportTraceServiceRequest as the collector reads it: what the
 * protobuf decoder returns (unset fields are null, int64 are Long objects or numbers) and
 * what the OTLP/JSON reader normalises to (int64 as decimal strings or numbers).
 */
export interface LongBits {
  readonly low: number;
  readonly high: number;
}

export type Int64 = number | string | LongBits;

export interface OtlpAnyValue {
  readonly stringValue?: string | null;
  readonly boolValue?: boolean | null;
  readonly intValue?: Int64 | null;
  readonly doubleValue?: number | null;
  readonly arrayValue?: { readonly values?: readonly OtlpAnyValue[] | null } | null;
  readonly kvlistValue?: { readonly values?: readonly OtlpKeyValue[] | null } | null;
  readonly bytesValue?: Uint8Array | null;
}

export interface OtlpKeyValue {
  readonly key?: string | null;
  readonly value?: OtlpAnyValue | null;
}

export interface OtlpEvent {
  readonly timeUnixNano?: Int64 | null;
  readonly name?: string | null;
  readonly attributes?: readonly OtlpKeyValue[] | null;
}

export interface OtlpLink {
  readonly traceId?: Uint8Array | null;
  readonly spanId?: Uint8Array | null;
  readonly traceState?: string | null;
  readonly attributes?: readonly OtlpKeyValue[] | null;
}

export interface OtlpSpan {
  readonly traceId?: Uint8Array | null;
  readonly spanId?: Uint8Array | null;
  readonly parentSpanId?: Uint8Array | null;
  readonly name?: string | null;
  readonly kind?: number | null;
  readonly startTimeUnixNano?: Int64 | null;
  readonly endTimeUnixNano?: Int64 | null;
  readonly attributes?: readonly OtlpKeyValue[] | null;
  readonly events?: readonly OtlpEvent[] | null;
  readonly links?: readonly OtlpLink[] | null;
  readonly status?: { readonly message?: string | null; readonly code?: number | null } | null;
}

export interface OtlpScopeSpans {
  readonly spans?: readonly OtlpSpan[] | null;
}

export interface OtlpResourceSpans {
  readonly resource?: { readonly attributes?: readonly OtlpKeyValue[] | null } | null;
  readonly scopeSpans?: readonly OtlpScopeSpans[] | null;
}

export interface OtlpTraceRequest {
  readonly resourceSpans?: readonly OtlpResourceSpans[] | null;
}

/** A request the collector cannot read at all: answered with 400, never retried. */
export class MalformedPayloadError extends Error {
  constructor(
    message: string,
    readonly format: 'json' | 'protobuf',
  ) {
    super(message);
    this.name = 'MalformedPayloadError';
  }
}
