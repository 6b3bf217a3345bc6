import {
  ACCESS_LOG_FORMAT,
  CLIENT_CLOSED,
  parseAccessLogLine,
  unescapeJson,
} from './access-log-format';

/** A line as HAProxy writes it, from the fields by name (missing ones as `-`). */
function line(fields: Record<string, string>): string {
  const order = [
    'startUs',
    'serviceId',
    'method',
    'path',
    'status',
    'durationUs',
    'bytesUploaded',
    'bytesSent',
    'requestContentLength',
    'responseContentLength',
    'requestHeadersLength',
    'urlLength',
    'responseHeadersLength',
    'clientIp',
    'userAgent',
    'requestId',
    'termination',
  ];
  return order.map((name) => fields[name] ?? '-').join('\t');
}

const BASE = {
  startUs: '1796547824509725',
  serviceId: 'svc-1',
  method: 'GET',
  path: '\\/orders',
  status: '200',
  durationUs: '1250',
  bytesUploaded: '80',
  bytesSent: '140',
  clientIp: '127.0.0.1',
  requestId: 'req-1',
  termination: '--',
};

describe('the access-log line', () => {
  it('has one field per tab-separated format item', () => {
    expect(ACCESS_LOG_FORMAT.split('\\t')).toHaveLength(17);
  });

  it('reads a request with declared bodies exactly', () => {
    const record = parseAccessLogLine(
      line({
        ...BASE,
        method: 'POST',
        requestContentLength: '42',
        responseContentLength: '7',
        userAgent: 'curl\\/8.0u',
      }),
    );
    expect(record).toEqual({
      time: new Date(1796547824509),
      serviceId: 'svc-1',
      method: 'POST',
      path: '/orders',
      status: 200,
      durationMs: 1.25,
      bytesIn: 42,
      bytesOut: 7,
      clientIp: '127.0.0.1',
      userAgent: 'curl/8.0',
      requestId: 'req-1',
    });
  });

  it('counts no request body when none was declared, and the rest of a chunked response', () => {
    // %B = status line (17) + the instance's head (100) + payload (23).
    const record = parseAccessLogLine(line({ ...BASE, responseHeadersLength: '100' }));
    expect(record).toMatchObject({ bytesIn: 0, bytesOut: 23 });
  });

  it('counts nothing out for HEAD, 204 and 304', () => {
    for (const [method, status] of [
      ['HEAD', '200'],
      ['GET', '204'],
      ['GET', '304'],
    ] as const) {
      const record = parseAccessLogLine(
        line({ ...BASE, method, status, responseContentLength: '99' }),
      );
      expect(record?.bytesOut).toBe(0);
    }
  });

  it('tells a missing User-Agent from one that is "-", and unescapes what HAProxy escaped', () => {
    expect(parseAccessLogLine(line(BASE))?.userAgent).toBeNull();
    expect(parseAccessLogLine(line({ ...BASE, userAgent: '-u' }))?.userAgent).toBe('-');
    expect(
      parseAccessLogLine(line({ ...BASE, userAgent: 'a\\tb \\\\N \\u00e9u' }))?.userAgent,
    ).toBe('a\tb \\N é');
  });

  it('reports a client that left before an answer as 499', () => {
    expect(parseAccessLogLine(line({ ...BASE, status: '-1', termination: 'CD' }))?.status).toBe(
      CLIENT_CLOSED,
    );
  });

  it('leaves unrouted requests without a service, and refuses lines of another shape', () => {
    expect(parseAccessLogLine(line({ ...BASE, serviceId: '-' }))?.serviceId).toBeNull();
    expect(parseAccessLogLine('not\ta\tline')).toBeNull();
    expect(parseAccessLogLine(line({ ...BASE, startUs: '-' }))).toBeNull();
  });

  it('keeps text that is not valid JSON escaping as it came', () => {
    expect(unescapeJson('a\\qb')).toBe('a\\qb');
    expect(unescapeJson('plain')).toBe('plain');
  });
});
