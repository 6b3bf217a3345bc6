import { gzipSync } from 'node:zlib';
import { services } from '@slipway/db-schema';
import { type Collector } from '../src';
import {
  type TestDatabase,
  type TestService,
  createService,
  createTestDatabase,
  spansOf,
} from './support/database';
import { decodeRpcStatus, startTestCollector } from './support/collector';
import { expectErrorBody, json, post } from './support/http';
import { hex, jsonRequest, jsonSpan, messages, protobufRequest } from './support/payloads';

const MAX_BODY = 64 * 1024;

describe('POST /v1/traces', () => {
  let db: TestDatabase;
  let collector: Collector;
  let service: TestService;
  let url: string;
  const auth = (): Record<string, string> => ({ Authorization: `Bearer ${service.token}` });
  const jsonHeaders = (): Record<string, string> => ({
    ...auth(),
    'Content-Type': 'application/json',
  });
  const protobufHeaders = (): Record<string, string> => ({
    ...auth(),
    'Content-Type': 'application/x-protobuf',
  });

  beforeAll(async () => {
    db = await createTestDatabase();
    collector = await startTestCollector(db.url, { http: { maxBodyBytes: MAX_BODY } });
    url = `${collector.url}/v1/traces`;
  });

  beforeEach(async () => {
    service = await createService(db.pool);
  });

  afterAll(async () => {
    await collector.close();
    await db.drop();
  });

  describe('accepts', () => {
    it('OTLP/JSON and answers {} in JSON', async () => {
      const span = jsonSpan({
        attributes: [
          { key: 'big', value: { intValue: '9007199254740993' } },
          { key: 'small', value: { intValue: 42 } },
          {
            key: 'nested',
            value: { kvlistValue: { values: [{ key: 'k', value: { boolValue: true } }] } },
          },
          { key: 'nul', value: { stringValue: 'a\u0000b' } },
        ],
      });
      const res = await post(url, JSON.stringify(jsonRequest([span])), jsonHeaders());
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('application/json');
      expect(json(res)).toEqual({});
      const [row] = await spansOf(db.pool, service.id);
      expect(row).toMatchObject({
        trace_id: span.traceId,
        span_id: span.spanId,
        duration_ns: '1234567',
        attributes: { big: '9007199254740993', small: 42, nested: { k: true }, nul: 'a\uFFFDb' },
        resource: { 'service.name': 'tests' },
      });
    });

    it('uppercase hex ids, stored lowercase', async () => {
      const span = jsonSpan({ traceId: hex(16).toUpperCase(), spanId: hex(8).toUpperCase() });
      const res = await post(url, JSON.stringify(jsonRequest([span])), jsonHeaders());
      expect(res.status).toBe(200);
      const [row] = await spansOf(db.pool, service.id);
      expect(row?.trace_id).toBe(String(span.traceId).toLowerCase());
      expect(row?.span_id).toBe(String(span.spanId).toLowerCase());
    });

    it('a retried request once (duplicates are ignored)', async () => {
      const body = protobufRequest([jsonSpan(), jsonSpan()]);
      expect((await post(url, body, protobufHeaders())).status).toBe(200);
      expect((await post(url, body, protobufHeaders())).status).toBe(200);
      expect(await spansOf(db.pool, service.id)).toHaveLength(2);
    });

    it('an empty request', async () => {
      const res = await post(url, '{}', jsonHeaders());
      expect(res.status).toBe(200);
      expect(json(res)).toEqual({});
    });
  });

  describe('partial success', () => {
    const invalid = (): Record<string, unknown>[] => [
      jsonSpan({ name: 'good' }),
      jsonSpan({ traceId: 'abcd' }),
      jsonSpan({ spanId: '0000000000000000' }),
      jsonSpan({ parentSpanId: 'abcdef' }),
    ];

    it('counts spans with invalid ids in JSON and stores the rest', async () => {
      const res = await post(url, JSON.stringify(jsonRequest(invalid())), jsonHeaders());
      expect(res.status).toBe(200);
      const body = json(res) as { partialSuccess: { rejectedSpans: string; errorMessage: string } };
      expect(body.partialSuccess.rejectedSpans).toBe('3');
      expect(body.partialSuccess.errorMessage).toMatch(/trace id must be 16 bytes/);
      expect((await spansOf(db.pool, service.id)).map((r) => r.name)).toEqual(['good']);
    });

    it('answers protobuf with an ExportTraceServiceResponse', async () => {
      const res = await post(url, protobufRequest(invalid()), protobufHeaders());
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('application/x-protobuf');
      const response = messages.ExportTraceServiceResponse.decode(res.body);
      expect(String(response.partialSuccess?.rejectedSpans)).toBe('3');
      expect((await spansOf(db.pool, service.id)).map((r) => r.name)).toEqual(['good']);
    });
  });

  describe('refuses', () => {
    it('a body that is not protobuf with 400 and a google.rpc.Status', async () => {
      const res = await post(url, Buffer.from([0xff, 0xff, 0xff, 0xff, 0x0f]), protobufHeaders());
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toBe('application/x-protobuf');
      const status = decodeRpcStatus(res.body);
      expect(status.code).toBe(3);
      expect(status.message).toMatch(/not a protobuf ExportTraceServiceRequest/);
      expect(status.message).toContain(String(res.headers['x-request-id']));
    });

    it('a body that is not JSON with 400 malformed_json', async () => {
      const res = await post(url, '{"resourceSpans": [', jsonHeaders());
      expect(expectErrorBody(res, 400, 'malformed_json').message).toMatch(/not valid JSON/);
    });

    it('JSON of the wrong shape with 400 naming the field', async () => {
      const body = JSON.stringify({
        resourceSpans: [{ scopeSpans: [{ spans: [{ kind: 'x' }] }] }],
      });
      const res = await post(url, body, jsonHeaders());
      expect(expectErrorBody(res, 400, 'malformed_json').message).toBe(
        'resourceSpans[0].scopeSpans[0].spans[0].kind: must be an integer',
      );
    });

    it('a body that is not gzip with 400', async () => {
      const res = await post(url, 'plain', { ...jsonHeaders(), 'Content-Encoding': 'gzip' });
      expect(expectErrorBody(res, 400, 'validation_failed').message).toMatch(/not valid gzip/);
    });

    it('other content types with 415', async () => {
      const res = await post(url, 'hello', { ...auth(), 'Content-Type': 'text/plain' });
      expectErrorBody(res, 415, 'unsupported_media_type');
    });

    it('other content encodings with 415', async () => {
      const res = await post(url, '{}', { ...jsonHeaders(), 'Content-Encoding': 'br' });
      expectErrorBody(res, 415, 'unsupported_media_type');
    });

    it('a body over the limit with 413, by Content-Length and while streaming', async () => {
      const big = JSON.stringify(jsonRequest([jsonSpan({ name: 'x'.repeat(MAX_BODY) })]));
      expectErrorBody(await post(url, big, jsonHeaders()), 413, 'payload_too_large');
      const streamed = await post(url, big, jsonHeaders(), { chunked: true });
      expectErrorBody(streamed, 413, 'payload_too_large');
      expect(await spansOf(db.pool, service.id)).toHaveLength(0);
    });

    it('a small gzip body that decompresses past the limit (gzip bomb) with 413', async () => {
      const bomb = gzipSync(Buffer.alloc(50 * 1024 * 1024, 0x20));
      expect(bomb.length).toBeLessThan(MAX_BODY);
      const res = await post(url, bomb, { ...jsonHeaders(), 'Content-Encoding': 'gzip' });
      expect(expectErrorBody(res, 413, 'payload_too_large').message).toMatch(/decompressed/);
    });

    it('gzip within the limit is accepted', async () => {
      const body = gzipSync(JSON.stringify(jsonRequest([jsonSpan()])));
      const res = await post(url, body, { ...jsonHeaders(), 'Content-Encoding': 'gzip' });
      expect(res.status).toBe(200);
      expect(await spansOf(db.pool, service.id)).toHaveLength(1);
    });

    it.each([
      ['no Authorization header', {}],
      ['an unknown service token', { Authorization: 'Bearer slp_st_unknown' }],
      ['a token that is not a service token', { Authorization: 'Bearer slp_pat_something' }],
      ['a non-Bearer scheme', { Authorization: 'Basic dXNlcjpwYXNz' }],
    ])('%s with 401', async (_, headers: Record<string, string>) => {
      const body = JSON.stringify(jsonRequest([jsonSpan()]));
      const res = await post(url, body, { ...headers, 'Content-Type': 'application/json' });
      expectErrorBody(res, 401, 'unauthorized');
      expect(res.headers['www-authenticate']).toBe('Bearer');
    });

    it('a token whose service was deleted with 401', async () => {
      const body = JSON.stringify(jsonRequest([jsonSpan()]));
      const gone = await createService(db.pool);
      await db.pool.query(`DELETE FROM ${services.name} WHERE id = $1`, [gone.id]);
      const res = await post(url, body, {
        Authorization: `Bearer ${gone.token}`,
        'Content-Type': 'application/json',
      });
      expectErrorBody(res, 401, 'unauthorized');
    });

    it('other methods with 405 and Allow', async () => {
      const res = await post(url, '', auth(), { method: 'GET' });
      expectErrorBody(res, 405, 'method_not_allowed');
      expect(res.headers.allow).toBe('POST');
    });

    it('other paths with 404', async () => {
      const res = await post(`${collector.url}/v1/metrics`, '{}', jsonHeaders());
      expectErrorBody(res, 404, 'route_not_found');
    });
  });

  it('keeps the caller’s request id', async () => {
    const res = await post(url, 'nope', { ...jsonHeaders(), 'X-Request-Id': 'req-123' });
    expect(res.headers['x-request-id']).toBe('req-123');
    expect(expectErrorBody(res, 400, 'malformed_json').request_id).toBe('req-123');
  });

  it('answers /healthz and /readyz', async () => {
    const health = await fetch(`${collector.url}/healthz`);
    expect(health.status).toBe(200);
    const ready = await fetch(`${collector.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready' });
  });
});
