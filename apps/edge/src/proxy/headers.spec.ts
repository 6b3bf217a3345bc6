import { addForwarded, endToEndHeaderList, endToEndHeaders } from './headers';

describe('endToEndHeaders', () => {
  it('removes every hop-by-hop field RFC 9110 names, and those Connection lists', () => {
    const out = endToEndHeaders({
      connection: 'keep-alive, X-Custom-Hop, ,Upgrade',
      'keep-alive': 'timeout=5',
      'proxy-connection': 'keep-alive',
      'proxy-authorization': 'Basic abc',
      'proxy-authenticate': 'Basic',
      te: 'trailers',
      trailer: 'Expires',
      'transfer-encoding': 'chunked',
      upgrade: 'h2c',
      'x-custom-hop': '1',
      'content-type': 'text/plain',
      'set-cookie': ['a=1', 'b=2'],
    });
    expect(out).toEqual({ 'content-type': 'text/plain', 'set-cookie': ['a=1', 'b=2'] });
  });

  it('drops the fields it is told to, whatever their case', () => {
    const out = endToEndHeaders(
      { Authorization: 'Bearer slp_ak_x', Accept: '*/*' },
      new Set(['authorization']),
    );
    expect(out).toEqual({ accept: '*/*' });
  });

  it('keeps Upgrade and Connection for a WebSocket handshake, still dropping the rest', () => {
    const out = endToEndHeaders(
      {
        connection: 'Upgrade',
        upgrade: 'websocket',
        'keep-alive': 'timeout=5',
        'sec-websocket-key': 'abc',
      },
      new Set(),
      true,
    );
    expect(out).toEqual({
      connection: 'Upgrade',
      upgrade: 'websocket',
      'sec-websocket-key': 'abc',
    });
  });
});

describe('addForwarded', () => {
  const facts = {
    clientIp: '203.0.113.9',
    proto: 'http' as const,
    host: 'web.localhost',
    requestId: 'req-1',
  };

  it('replaces what the client claimed when no proxy in front is trusted', () => {
    const out = addForwarded(
      { 'x-forwarded-for': '10.9.9.9', 'x-forwarded-proto': 'https', 'x-forwarded-host': 'evil' },
      { ...facts, trustProxy: false },
    );
    expect(out).toEqual({
      'x-forwarded-for': '203.0.113.9',
      'x-forwarded-proto': 'http',
      'x-forwarded-host': 'web.localhost',
      'x-request-id': 'req-1',
    });
  });

  it('appends to the chain of a trusted proxy and keeps its proto and host', () => {
    const out = addForwarded(
      {
        'x-forwarded-for': '198.51.100.1',
        'x-forwarded-proto': 'https',
        'x-forwarded-host': 'web.example.com',
      },
      { ...facts, trustProxy: true },
    );
    expect(out).toMatchObject({
      'x-forwarded-for': '198.51.100.1, 203.0.113.9',
      'x-forwarded-proto': 'https',
      'x-forwarded-host': 'web.example.com',
    });
  });
});

describe('endToEndHeaderList', () => {
  it('flattens end-to-end fields, one pair per repeated value, then the extra pairs', () => {
    const list = endToEndHeaderList(
      {
        connection: 'close',
        'keep-alive': 'timeout=5',
        'transfer-encoding': 'chunked',
        'content-type': 'text/plain',
        'set-cookie': ['a=1', 'b=2'],
        'x-empty': undefined,
      },
      ['x-request-id', 'req-1'],
    );
    expect(list).toEqual([
      'content-type',
      'text/plain',
      'set-cookie',
      'a=1',
      'set-cookie',
      'b=2',
      'x-request-id',
      'req-1',
    ]);
  });

  it('drops the fields Connection names, whatever their case', () => {
    expect(endToEndHeaderList({ connection: 'X-Hop', 'x-hop': '1', etag: '"v1"' }, [])).toEqual([
      'etag',
      '"v1"',
    ]);
  });
});
