/**
 * Deeply nested bodies: reading, converting and storing attribute values recurse once per
 * level, so a few thousand levels used to overflow the stack and answer 500.
 */
import { type Collector } from '../src';
import { MAX_VALUE_DEPTH } from '../src/otlp/value-depth';
import {
  type TestDatabase,
  type TestService,
  createService,
  createTestDatabase,
  spansOf,
} from './support/database';
import { decodeRpcStatus, startTestCollector } from './support/collector';
import { expectErrorBody, post } from './support/http';
import { deepAttributeJson, deepAttributeProtobuf } from './support/payloads';

const TOO_DEEP = `attribute values must not nest deeper than ${MAX_VALUE_DEPTH} levels`;

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
    collector = await startTestCollector(db.url);
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
    expect(decodeRpcStatus(res.body).message).toMatch(
      new RegExp(`^${message} \\(validation_failed`),
    );
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
