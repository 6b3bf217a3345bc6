import { randomBytes } from 'node:crypto';

/** The generated OTLP messages, used here to write protobuf payloads the way SDKs do. */
interface Encoder<T> {
  encode(message: T): { finish(): Uint8Array };
  decode(bytes: Uint8Array): T;
  fromObject(object: unknown): T;
}
interface Generated {
  opentelemetry: {
    proto: {
      collector: {
        trace: {
          v1: {
            ExportTraceServiceRequest: Encoder<unknown>;
            ExportTraceServiceResponse: Encoder<{
              partialSuccess?: {
                rejectedSpans?: { toString(): string } | number;
                errorMessage?: string;
              } | null;
            }>;
          };
        };
      };
    };
  };
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const generated = require('@opentelemetry/otlp-transformer/build/src/generated/root') as Generated;
export const messages = generated.opentelemetry.proto.collector.trace.v1;

export const hex = (bytes: number): string => randomBytes(bytes).toString('hex');

export interface JsonSpanOptions {
  traceId?: string;
  spanId?: string;
  parentSpanId?: string;
  name?: string;
  attributes?: unknown[];
}

/** One OTLP/JSON span, ids in hex, times as decimal strings. */
export function jsonSpan(options: JsonSpanOptions = {}): Record<string, unknown> {
  const start = BigInt(Date.now()) * 1_000_000n;
  return {
    traceId: options.traceId ?? hex(16),
    spanId: options.spanId ?? hex(8),
    parentSpanId: options.parentSpanId ?? '',
    name: options.name ?? 'op',
    kind: 1,
    startTimeUnixNano: start.toString(),
    endTimeUnixNano: (start + 1_234_567n).toString(),
    attributes: options.attributes ?? [],
    status: {},
  };
}

export function jsonRequest(spans: unknown[]): Record<string, unknown> {
  return {
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'tests' } }] },
        scopeSpans: [{ scope: { name: 'tests' }, spans }],
      },
    ],
  };
}

/** The same request as protobuf: ids become bytes, times integers. */
export function protobufRequest(spans: Record<string, unknown>[]): Buffer {
  const toBytes = (id: unknown): Buffer => Buffer.from(typeof id === 'string' ? id : '', 'hex');
  const request = jsonRequest(
    spans.map((span) => ({
      ...span,
      traceId: toBytes(span.traceId),
      spanId: toBytes(span.spanId),
      parentSpanId: toBytes(span.parentSpanId),
    })),
  );
  return Buffer.from(
    messages.ExportTraceServiceRequest.encode(
      messages.ExportTraceServiceRequest.fromObject(request),
    ).finish(),
  );
}

export function jsonSpans(count: number): Record<string, unknown>[] {
  return Array.from({ length: count }, (_, i) => jsonSpan({ name: `op-${i}` }));
}
