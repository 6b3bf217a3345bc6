import { randomBytes } from 'node:crypto';
import { Writer } from 'protobufjs/minimal';

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

/**
 * A one-span OTLP/JSON request whose attribute `deep` nests `depth` values: arrays in
 * arrays around a string (depth 1 is the plain string). Built as text, since
 * JSON.stringify recurses too.
 */
export function deepAttributeJson(depth: number): string {
  const value =
    '{"arrayValue":{"values":['.repeat(depth - 1) +
    '{"stringValue":"leaf"}' +
    ']}}'.repeat(depth - 1);
  const request = JSON.stringify(
    jsonRequest([jsonSpan({ attributes: [{ key: 'deep', value: 'VALUE' }] })]),
  );
  return request.replace('"VALUE"', value);
}

/** The same request as protobuf, written with fork/ldelim since the generated encoder recurses. */
export function deepAttributeProtobuf(depth: number): Buffer {
  const span = jsonSpan();
  const start = Date.now() * 1e6;
  const writer = Writer.create();
  writer.uint32(0x0a).fork(); // ExportTraceServiceRequest.resource_spans
  writer.uint32(0x12).fork(); // ResourceSpans.scope_spans
  writer.uint32(0x12).fork(); // ScopeSpans.spans
  writer.uint32(0x0a).bytes(Buffer.from(String(span.traceId), 'hex'));
  writer.uint32(0x12).bytes(Buffer.from(String(span.spanId), 'hex'));
  writer.uint32(0x2a).string('deep');
  writer.uint32(0x39).fixed64(start);
  writer.uint32(0x41).fixed64(start + 1e6);
  writer.uint32(0x4a).fork(); // Span.attributes
  writer.uint32(0x0a).string('deep');
  writer.uint32(0x12).fork(); // KeyValue.value
  for (let level = 1; level < depth; level++) writer.uint32(0x2a).fork().uint32(0x0a).fork();
  writer.uint32(0x0a).string('leaf');
  for (let level = 1; level < depth; level++) writer.ldelim().ldelim();
  for (let open = 0; open < 5; open++) writer.ldelim();
  return Buffer.from(writer.finish());
}
