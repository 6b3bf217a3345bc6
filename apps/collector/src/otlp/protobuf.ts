import { Writer } from 'protobufjs/minimal';
import { MalformedPayloadError, type OtlpTraceRequest } from './otlp-types';
import { VALUE_TOO_DEEP, valueDepthExceeded } from './value-depth';

/**
 * The protobufjs static code @opentelemetry/otlp-transformer generates from the official
 * OpenTelemetry protos. Its declaration file only says `Root`, so the few members used here
 * are typed below; this module is the only place that reaches into the package.
 */
interface TraceServiceMessages {
  ExportTraceServiceRequest: { decode(bytes: Uint8Array): unknown };
  ExportTraceServiceResponse: {
    encode(message: { partialSuccess?: { rejectedSpans: number; errorMessage: string } | null }): {
      finish(): Uint8Array;
    };
  };
}

interface GeneratedRoot {
  opentelemetry: { proto: { collector: { trace: { v1: TraceServiceMessages } } } };
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const root = require('@opentelemetry/otlp-transformer/build/src/generated/root') as GeneratedRoot;
const messages = root.opentelemetry.proto.collector.trace.v1;

export function decodeTraceRequest(body: Uint8Array): OtlpTraceRequest {
  let request: OtlpTraceRequest;
  try {
    request = messages.ExportTraceServiceRequest.decode(body) as OtlpTraceRequest;
  } catch (error) {
    // The generated decoder recurses once per nested message.
    const message = isStackOverflow(error)
      ? 'the body nests messages too deeply to decode'
      : `the body is not a protobuf ExportTraceServiceRequest: ${(error as Error).message}`;
    throw new MalformedPayloadError(message, 'protobuf');
  }
  if (valueDepthExceeded(request)) throw new MalformedPayloadError(VALUE_TOO_DEEP, 'protobuf');
  return request;
}

function isStackOverflow(error: unknown): boolean {
  return error instanceof RangeError && error.message.includes('call stack');
}

export function encodeTraceResponse(rejectedSpans: number, errorMessage: string): Buffer {
  const message =
    rejectedSpans > 0 || errorMessage ? { partialSuccess: { rejectedSpans, errorMessage } } : {};
  return Buffer.from(messages.ExportTraceServiceResponse.encode(message).finish());
}

/**
 * A google.rpc.Status (code = 1, message = 2), the error body OTLP/HTTP specifies for
 * protobuf requests. Written by hand: the generated code does not include google.rpc.
 */
export function encodeRpcStatus(code: number, message: string): Buffer {
  return Buffer.from(Writer.create().uint32(8).int32(code).uint32(18).string(message).finish());
}
