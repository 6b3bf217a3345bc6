/**
 * Answers given before the body is read (401, 413) must reach a client that is still
 * sending. Many clients read nothing until their whole body is written; if the collector
 * closes the socket with that body unread, the kernel resets the connection and the client
 * sees ECONNRESET or EPIPE instead of the answer.
 */
import { type Collector } from '../src';
import { DEFAULT_DRAIN_MS } from '../src/config/env-vars';
import {
  type TestDatabase,
  type TestService,
  createService,
  createTestDatabase,
} from './support/database';
import { startTestCollector } from './support/collector';
import { type RawExchange, type RawResponse, expectErrorBody, post, rawPost } from './support/http';

const MAX_BODY = 8 * 1024 * 1024;
/**
 * How long the collector keeps reading a body it has answered early. Generous where the
 * client goes on sending: it shares this process with the collector, and a loaded machine
 * may pause both for seconds. The test of the bound itself has a collector of its own.
 */
const DRAIN_MS = 30_000;
const SHORT_DRAIN_MS = 2000;
const MB = 1_000_000;
/** More than the kernel's socket buffers take in while the collector reads nothing. */
const LARGE = 20 * MB;

function answered(exchange: RawExchange): RawResponse {
  if (!exchange.response) throw new Error(`no answer: the connection failed (${exchange.error})`);
  return exchange.response;
}

describe('early answers to a client still sending its body', () => {
  let db: TestDatabase;
  let collector: Collector;
  let service: TestService;
  let url: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    collector = await startTestCollector(db.url, {
      http: { maxBodyBytes: MAX_BODY, drainMs: DRAIN_MS },
    });
    url = `${collector.url}/v1/traces`;
    service = await createService(db.pool);
  });

  afterAll(async () => {
    await collector.close();
    await db.drop();
  });

  const json = { 'Content-Type': 'application/json' };
  const authorized = (): Record<string, string> => ({
    ...json,
    Authorization: `Bearer ${service.token}`,
  });

  describe('a client that reads only once its whole body is written gets', () => {
    it.each([
      ['no token', json, false],
      ['no token, chunked', json, true],
      ['an unknown token', { ...json, Authorization: 'Bearer slp_st_unknown' }, false],
    ])('401 for %s', async (_, headers: Record<string, string>, chunked) => {
      const exchange = await rawPost(url, headers, { size: LARGE, chunked });
      const response = answered(exchange);
      expectErrorBody(response, 401, 'unauthorized');
      expect(response.headers['www-authenticate']).toBe('Bearer');
      expect(response.headers.connection).toBe('close');
      expect(exchange.sent).toBe(LARGE);
    });

    it.each([
      ['declared by Content-Length', false],
      ['found while streaming', true],
    ])('413 for a body over the limit %s', async (_, chunked) => {
      const exchange = await rawPost(url, authorized(), { size: LARGE, chunked });
      const response = answered(exchange);
      expect(expectErrorBody(response, 413, 'payload_too_large').message).toBe(
        `The request body is larger than ${MAX_BODY} bytes`,
      );
      expect(response.headers.connection).toBe('close');
    });

    it('404 for another path', async () => {
      const other = `${collector.url}/v1/metrics`;
      expectErrorBody(
        answered(await rawPost(other, authorized(), { size: LARGE })),
        404,
        'route_not_found',
      );
    });
  });

  it('still answers a client that reads as it sends (node:http, fetch)', async () => {
    const body = Buffer.alloc(LARGE, 0x20);
    expectErrorBody(await post(url, body, json), 401, 'unauthorized');
    expectErrorBody(
      await post(url, body, authorized(), { chunked: true }),
      413,
      'payload_too_large',
    );

    let offered = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (offered >= LARGE) controller.close();
        else {
          offered += 64 * 1024;
          controller.enqueue(new Uint8Array(64 * 1024).fill(0x20));
        }
      },
    });
    const res = await fetch(url, {
      method: 'POST',
      headers: json,
      body: stream,
      duplex: 'half',
    });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({
      error: { code: 'unauthorized', message: expect.any(String), request_id: expect.any(String) },
    });
  });

  describe('stops reading, and closes the connection', () => {
    let impatient: Collector;
    beforeAll(async () => {
      impatient = await startTestCollector(db.url, {
        http: { maxBodyBytes: MAX_BODY, drainMs: SHORT_DRAIN_MS },
      });
    });
    afterAll(async () => {
      await impatient?.close();
    });

    it('past four times the body limit', async () => {
      const size = 256 * MB;
      const exchange = await rawPost(url, json, { size });
      expect(exchange.error).toMatch(/^(ECONNRESET|EPIPE)$/);
      // The kernel's buffers take some MB more than the collector reads (4 × 8 MiB at most).
      expect(exchange.sent).toBeLessThan(size / 2);
    });

    it('after SLIPWAY_COLLECTOR_DRAIN_MS when the client stops sending', async () => {
      const started = Date.now();
      const exchange = await rawPost(`${impatient.url}/v1/traces`, json, {
        size: MB,
        stallAfter: 64 * 1024,
        readAfterSending: false,
      });
      expectErrorBody(answered(exchange), 401, 'unauthorized');
      expect(Date.now() - started).toBeGreaterThanOrEqual(SHORT_DRAIN_MS - 100);
      // The configured bound, not the 10 s default; room to spare for a loaded machine.
      expect(Date.now() - started).toBeLessThan(DEFAULT_DRAIN_MS);
    });
  });
});
