import {
  type Int64,
  MalformedPayloadError,
  type OtlpAnyValue,
  type OtlpEvent,
  type OtlpKeyValue,
  type OtlpLink,
  type OtlpResourceSpans,
  type OtlpSpan,
  type OtlpTraceRequest,
} from './otlp-types';
import { MAX_VALUE_DEPTH, VALUE_TOO_DEEP } from './value-depth';

/**
 * Reads an OTLP/JSON ExportTraceServiceRequest: ids are hex strings, enums integers, int64
 * decimal strings or numbers, bytes base64. Unknown fields are ignored (the spec requires
 * it); a known field of the wrong type makes the whole request malformed, with its path.
 */
export function readJsonTraceRequest(body: Buffer): OtlpTraceRequest {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw new MalformedPayloadError(
      `the body is not valid JSON: ${(error as Error).message}`,
      'json',
    );
  }
  const request = object(parsed, '(body)');
  return {
    resourceSpans: list(request.resourceSpans, 'resourceSpans', (rs, path): OtlpResourceSpans => {
      const resource = optionalObject(rs.resource, `${path}.resource`);
      return {
        resource: resource && {
          attributes: keyValues(resource.attributes, `${path}.resource.attributes`),
        },
        scopeSpans: list(rs.scopeSpans, `${path}.scopeSpans`, (ss, scopePath) => ({
          spans: list(ss.spans, `${scopePath}.spans`, span),
        })),
      };
    }),
  };
}

type JsonObject = Record<string, unknown>;

function fail(path: string, expected: string): never {
  throw new MalformedPayloadError(`${path}: must be ${expected}`, 'json');
}

function object(value: unknown, path: string): JsonObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(path, 'an object');
  return value as JsonObject;
}

function optionalObject(value: unknown, path: string): JsonObject | null {
  return value === undefined || value === null ? null : object(value, path);
}

function list<T>(value: unknown, path: string, item: (v: JsonObject, path: string) => T): T[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) fail(path, 'an array');
  return value.map((entry, index) => item(object(entry, `${path}[${index}]`), `${path}[${index}]`));
}

function optionalString(value: unknown, path: string): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') fail(path, 'a string');
  return value;
}

function optionalInteger(value: unknown, path: string): number | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'number' || !Number.isInteger(value)) fail(path, 'an integer');
  return value;
}

function optionalInt64(value: unknown, path: string): Int64 | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && /^-?\d{1,20}$/.test(value)) return value;
  return fail(path, 'an integer or a decimal string');
}

/** Hex id → bytes; anything that is not hex becomes a one-byte id, rejected later as invalid. */
function hexId(value: unknown, path: string): Uint8Array | null {
  const hex = optionalString(value, path);
  if (hex === null || hex === '') return null;
  return /^(?:[0-9a-fA-F]{2})+$/.test(hex) ? Buffer.from(hex, 'hex') : new Uint8Array(1);
}

function keyValues(value: unknown, path: string, depth = 1): OtlpKeyValue[] {
  return list(value, path, (kv, kvPath) => ({
    key: optionalString(kv.key, `${kvPath}.key`),
    value: anyValue(optionalObject(kv.value, `${kvPath}.value`), `${kvPath}.value`, depth),
  }));
}

/** `depth` counts nesting so that reading stops before the recursion can overflow the stack. */
function anyValue(value: JsonObject | null, path: string, depth: number): OtlpAnyValue | null {
  if (value === null) return null;
  if (depth > MAX_VALUE_DEPTH)
    throw new MalformedPayloadError(`${path}: ${VALUE_TOO_DEEP}`, 'json');
  if (value.stringValue !== undefined)
    return { stringValue: optionalString(value.stringValue, `${path}.stringValue`) };
  if (value.boolValue !== undefined) {
    if (typeof value.boolValue !== 'boolean') fail(`${path}.boolValue`, 'a boolean');
    return { boolValue: value.boolValue };
  }
  if (value.intValue !== undefined)
    return { intValue: optionalInt64(value.intValue, `${path}.intValue`) };
  if (value.doubleValue !== undefined) return { doubleValue: double(value.doubleValue, path) };
  if (value.arrayValue !== undefined) {
    const array = optionalObject(value.arrayValue, `${path}.arrayValue`);
    return {
      arrayValue: {
        values: list(
          array?.values,
          `${path}.arrayValue.values`,
          (v, p) => anyValue(v, p, depth + 1) ?? {},
        ),
      },
    };
  }
  if (value.kvlistValue !== undefined) {
    const kvlist = optionalObject(value.kvlistValue, `${path}.kvlistValue`);
    return {
      kvlistValue: { values: keyValues(kvlist?.values, `${path}.kvlistValue.values`, depth + 1) },
    };
  }
  if (value.bytesValue !== undefined) {
    const base64 = optionalString(value.bytesValue, `${path}.bytesValue`) ?? '';
    return { bytesValue: Buffer.from(base64, 'base64') };
  }
  return {};
}

/** proto3 JSON writes non-finite doubles as the strings "NaN", "Infinity", "-Infinity". */
function double(value: unknown, path: string): number {
  if (typeof value === 'number') return value;
  if (value === 'NaN') return NaN;
  if (value === 'Infinity') return Infinity;
  if (value === '-Infinity') return -Infinity;
  if (typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value)))
    return Number(value);
  return fail(`${path}.doubleValue`, 'a number');
}

function span(value: JsonObject, path: string): OtlpSpan {
  const status = optionalObject(value.status, `${path}.status`);
  return {
    traceId: hexId(value.traceId, `${path}.traceId`),
    spanId: hexId(value.spanId, `${path}.spanId`),
    parentSpanId: hexId(value.parentSpanId, `${path}.parentSpanId`),
    name: optionalString(value.name, `${path}.name`),
    kind: optionalInteger(value.kind, `${path}.kind`),
    startTimeUnixNano: optionalInt64(value.startTimeUnixNano, `${path}.startTimeUnixNano`),
    endTimeUnixNano: optionalInt64(value.endTimeUnixNano, `${path}.endTimeUnixNano`),
    attributes: keyValues(value.attributes, `${path}.attributes`),
    events: list(value.events, `${path}.events`, (event, eventPath): OtlpEvent => ({
      timeUnixNano: optionalInt64(event.timeUnixNano, `${eventPath}.timeUnixNano`),
      name: optionalString(event.name, `${eventPath}.name`),
      attributes: keyValues(event.attributes, `${eventPath}.attributes`),
    })),
    links: list(value.links, `${path}.links`, (link, linkPath): OtlpLink => ({
      traceId: hexId(link.traceId, `${linkPath}.traceId`),
      spanId: hexId(link.spanId, `${linkPath}.spanId`),
      traceState: optionalString(link.traceState, `${linkPath}.traceState`),
      attributes: keyValues(link.attributes, `${linkPath}.attributes`),
    })),
    status: status && {
      message: optionalString(status.message, `${path}.status.message`),
      code: optionalInteger(status.code, `${path}.status.code`),
    },
  };
}
