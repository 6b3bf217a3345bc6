/**
 * Deeply nested bodies: reading, converting and storing attribute values recurse once per
 * level, so a few thousand levels used to overflow the stack and answer 500.
 */
import { Reader } from 'protobufjs/minimal';
import { type Collector, createCollector } from '../src';
import { MAX_VALUE_DEPTH } from '../src/otlp/value-depth';
import {
  TEST_SECRET_KEY,
  type TestDatabase,
  type TestService,
  createService,
  createTestDatabase,
  spansOf,
} from './support/database';
import { expectErrorBody, post } from './support/http';
import { deepAttributeJson, deepAttributeProtobuf } from './support/payloads';

const TOO_DEEP = `attribute values must not nest deeper than ${MAX_VALUE_DEPTH} levels`;

/** google.rpc.Status field 2 (message). */
function rpcStatusMessage(bytes: Buffer): string {
  const reader = Reader.create(bytes);
  let message = '';
  while (reader.pos < reader.len) {
    const tag = reader.uint32();
    if (tag >>> 3 === 2) message = reader.string();
    else reader.skipType(tag & 7);
  }
  return message;
}

describe('POST /v1/traces with deeply nested bodies', () => {
  let db: TestDatabase;
  let collector: Collector;
  let service: TestService;
  let url: string;
  const headers = (contentType: string): Record<string, string> => ({
    Authorization: `Bearer ${service.token}`,
    'Content-Type': contentType,
  });

  beforeAll(async () => {
    db = await createTestDatabase();
    collector = await createCollector({
      env: {},
      overrides: {
        http: { port: 0 },
        database: { url: db.url },
        auth: { secretKey: TEST_SECRET_KEY },
        queue: { flushIntervalMs: 5 },
        log: { level: 'silent' },
      },
      retention: false,
    });
    url = `${collector.url}/v1/traces`;
  });

  beforeEach(async () => {
    service = await createService(db.pool);
  });

  afterAll(async () => {
    await collector.close();
    await db.drop();
  });

  it('answers `[` repeated 100,000 times, open or closed, with 400 malformed_json', async () => {
    const open = await post(url, '['.repeat(100_000), headers('application/json'));
    expect(expectErrorBody(open, 400, 'malformed_json').message).toMatch(/not valid JSON/);
    const closed = '['.repeat(100_000) + ']'.repeat(100_000);
    const res = await post(url, closed, headers('application/json'));
    expect(expectErrorBody(res, 400, 'malformed_json').message).toBe('(body): must be an object');
  });

  it.each([5_000, 100_000])(
    'answers an OTLP/JSON attribute nested %i levels with 400 malformed_json',
    async (depth) => {
      const res = await post(url, deepAttributeJson(depth), headers('application/json'));
      expect(expectErrorBody(res, 400, 'malformed_json').message).toMatch(
        new RegExp(
          `^resourceSpans\\[0\\]\\.scopeSpans\\[0\\]\\.spans\\[0\\]\\.attributes\\[0\\]\\.value(\\.arrayValue\\.values\\[0\\])+: ${TOO_DEEP}$`,
        ),
      );
      expect(await spansOf(db.pool, service.id)).toHaveLength(0);
    },
  );

  // Protobufjs decodes a couple of thousand levels (which then overflowed the conversion or
  // were stored); deeper, its decoder overflows: either way the answer is a precise 400.
  it.each([
    [2_000, TOO_DEEP],
    [20_000, 'the body nests messages too deeply to decode'],
  ])('answers a protobuf attribute nested %i levels with 400', async (depth, message) => {
    const res = await post(url, deepAttributeProtobuf(depth), headers('application/x-protobuf'));
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toBe('application/x-protobuf');
    expect(rpcStatusMessage(res.body)).toMatch(new RegExp(`^${message} \\(validation_failed`));
    expect(await spansOf(db.pool, service.id)).toHaveLength(0);
  });

  it.each([
    ['OTLP/JSON', 'application/json', deepAttributeJson],
    ['protobuf', 'application/x-protobuf', deepAttributeProtobuf],
  ])(
    'stores %s attributes nested to the limit, and refuses one level more',
    async (_, type, body) => {
      expect((await post(url, body(MAX_VALUE_DEPTH), headers(type))).status).toBe(200);
      const [row] = await spansOf(db.pool, service.id);
      let value = row?.attributes.deep;
      for (let level = 1; level < MAX_VALUE_DEPTH; level++) value = (value as unknown[])[0];
      expect(value).toBe('leaf');
      expect((await post(url, body(MAX_VALUE_DEPTH + 1), headers(type))).status).toBe(400);
    },
  );
});
