import type { IncomingMessage } from 'node:http';
import { EdgeSessions } from './edge-session';

describe('EdgeSessions.cookieToken', () => {
  it.each([
    [undefined, undefined],
    ['theme=dark', undefined],
    ['slipway_edge=tok', 'tok'],
    ['a=1; slipway_edge=tok; b=2', 'tok'],
    ['a=1;slipway_edge=first; slipway_edge=second', 'first'],
    ['not_slipway_edge=x', undefined],
    ['slipway_edge', undefined],
  ])('%j → %j', (header, token) => {
    expect(EdgeSessions.cookieToken(header)).toBe(token);
  });
});

describe('EdgeSessions.takeQueryToken', () => {
  it('takes the token out of the request target, leaving other requests alone', () => {
    const req = { url: '/a?x=1&edge_token=tok' } as IncomingMessage;
    expect(EdgeSessions.takeQueryToken(req)).toBe('tok');
    expect(req.url).toBe('/a?x=1');
    const plain = { url: '/a?x=1' } as IncomingMessage;
    expect(EdgeSessions.takeQueryToken(plain)).toBeUndefined();
    expect(plain.url).toBe('/a?x=1');
  });
});
