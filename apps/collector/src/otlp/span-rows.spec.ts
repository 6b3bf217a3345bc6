import { readJsonTraceRequest } from './json';
import { MalformedPayloadError } from './otlp-types';
import { decodeTraceRequest } from './protobuf';
import { nanosToTimestamp, toBigInt, toSpanRows } from './span-rows';

const SERVICE = '7f000000-0000-4000-8000-000000000001';
const TRACE = '0af7651916cd43dd8448eb211c80319c';
const SPAN = 'b7ad6b7169203331';

function request(span: Record<string, unknown>, resourceAttributes: unknown[] = []): Buffer {
  return Buffer.from(
    JSON.stringify({
      resourceSpans: [
        { resource: { attributes: resourceAttributes }, scopeSpans: [{ spans: [span] }] },
      ],
    }),
  );
}

const base = {
  traceId: TRACE,
  spanId: SPAN,
  name: 'op',
  kind: 2,
  startTimeUnixNano: '1700000000123456789',
  endTimeUnixNano: 1700000000123457000,
};

describe('toSpanRows', () => {
  it('turns an OTLP/JSON span into a row', () => {
    const { rows, rejectedSpans } = toSpanRows(
      readJsonTraceRequest(
        request(
          {
            ...base,
            endTimeUnixNano: '1700000001123456790',
            status: { code: 2, message: 'bad' },
            attributes: [
              { key: 'd', value: { doubleValue: 'NaN' } },
              { key: 'arr', value: { arrayValue: { values: [{ intValue: '-3' }, {}] } } },
              { key: 'bytes', value: { bytesValue: 'AQID' } },
            ],
            events: [{ name: 'e', timeUnixNano: '1700000000500000000', attributes: [] }],
          },
          [{ key: 'service.name', value: { stringValue: 'svc' } }],
        ),
      ),
      SERVICE,
    );
    expect(rejectedSpans).toBe(0);
    expect(rows).toEqual([
      {
        serviceId: SERVICE,
        traceId: TRACE,
        spanId: SPAN,
        parentSpanId: null,
        name: 'op',
        kind: 2,
        startTime: '2023-11-14T22:13:20.123456Z',
        endTime: '2023-11-14T22:13:21.123456Z',
        durationNs: '1000000001',
        statusCode: 2,
        statusMessage: 'bad',
        attributes: JSON.stringify({ d: 'NaN', arr: [-3, null], bytes: 'AQID' }),
        events: JSON.stringify([
          { name: 'e', time: '2023-11-14T22:13:20.500000Z', attributes: {} },
        ]),
        links: '[]',
        resource: JSON.stringify({ 'service.name': 'svc' }),
      },
    ]);
  });

  it.each([
    ['a short trace id', { traceId: 'abcd' }, /trace id/],
    ['an all-zero span id', { spanId: '0000000000000000' }, /span id/],
    ['a non-hex id', { spanId: 'zzzzzzzzzzzzzzzz' }, /span id/],
    ['a bad parent id', { parentSpanId: 'abcdef' }, /parent span id/],
    ['no start time', { startTimeUnixNano: '0' }, /times are required/],
    ['an end before the start', { endTimeUnixNano: '1' }, /end time/],
    ['an unknown kind', { kind: 9 }, /kind/],
  ])('rejects a span with %s', (_, override, reason) => {
    const result = toSpanRows(readJsonTraceRequest(request({ ...base, ...override })), SERVICE);
    expect(result.rows).toEqual([]);
    expect(result.rejectedSpans).toBe(1);
    expect(result.errorMessage).toMatch(reason);
  });

  it('reads protobuf int64 values (Long objects) exactly', () => {
    expect(toBigInt({ low: -1, high: 0x7fffffff })).toBe(0x7fffffffffffffffn);
    expect(nanosToTimestamp(1n)).toBe('1970-01-01T00:00:00.000000Z');
  });
});

describe('readers', () => {
  it('refuse malformed payloads with a MalformedPayloadError', () => {
    expect(() => readJsonTraceRequest(Buffer.from('[1'))).toThrow(MalformedPayloadError);
    expect(() => readJsonTraceRequest(Buffer.from('{"resourceSpans": {}}'))).toThrow(
      'resourceSpans: must be an array',
    );
    expect(() => decodeTraceRequest(Buffer.from([0x0a, 0xff]))).toThrow(MalformedPayloadError);
  });
});
