import { createHmac } from 'node:crypto';
import { deriveKey } from './credential-hash';
import { EDGE_TOKEN_PURPOSE, edgeTokenSigner, redactEdgeToken, splitEdgeToken } from './edge-token';

const KEY_A = 'secret-key-a-that-is-at-least-32-characters';
const KEY_B = 'secret-key-b-that-is-at-least-32-characters';
const SERVICE = '6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b';
const OTHER_SERVICE = '0a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d';
const NOW = Date.UTC(2030, 0, 1);
const IN_AN_HOUR = NOW / 1000 + 3600;

describe('edgeTokenSigner', () => {
  const signer = edgeTokenSigner(KEY_A);
  const token = signer.sign({ serviceId: SERVICE, expiresAt: IN_AN_HOUR });

  it('signs HMAC-SHA256 over version, service and expiry with the edge-url key', () => {
    const key = deriveKey(KEY_A, EDGE_TOKEN_PURPOSE);
    const signature = createHmac('sha256', key)
      .update(`v1:${SERVICE}:${IN_AN_HOUR}`)
      .digest('base64url');
    expect(token).toBe(`slp_et_${SERVICE}.${IN_AN_HOUR}.${signature}`);
    expect(token).toMatch(/^[A-Za-z0-9_.-]+$/);
  });

  it('accepts a valid token for its service until it expires', () => {
    expect(signer.verify(token, SERVICE, NOW)).toEqual({
      ok: true,
      claims: { serviceId: SERVICE, expiresAt: IN_AN_HOUR },
    });
    expect(signer.verify(token, SERVICE, IN_AN_HOUR * 1000 - 1).ok).toBe(true);
  });

  it('refuses an expired token', () => {
    expect(signer.verify(token, SERVICE, IN_AN_HOUR * 1000)).toEqual({
      ok: false,
      reason: 'expired',
    });
  });

  it('refuses a token of another service', () => {
    expect(signer.verify(token, OTHER_SERVICE, NOW)).toEqual({
      ok: false,
      reason: 'wrong_service',
    });
  });

  it('refuses a token signed with another key', () => {
    const foreign = edgeTokenSigner(KEY_B).sign({ serviceId: SERVICE, expiresAt: IN_AN_HOUR });
    expect(signer.verify(foreign, SERVICE, NOW)).toEqual({ ok: false, reason: 'bad_signature' });
  });

  it.each([
    ['a later expiry', token.replace(`.${IN_AN_HOUR}.`, `.${IN_AN_HOUR + 86_400}.`)],
    ['another service id', token.replace(SERVICE, OTHER_SERVICE)],
    ['one signature character', `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`],
    ['the first signature character', token.replace(/\.([A-Za-z0-9_-])([^.]*)$/, '.x$2')],
  ])('refuses a token with %s changed', (_what, tampered) => {
    expect(tampered).not.toBe(token);
    expect(signer.verify(tampered, SERVICE, NOW)).toEqual({ ok: false, reason: 'bad_signature' });
  });

  it.each([
    ['empty', ''],
    ['no prefix', token.slice('slp_et_'.length)],
    ['an Access Key', `slp_ak_${'a'.repeat(40)}`],
    ['two parts', `slp_et_${SERVICE}.${IN_AN_HOUR}`],
    ['four parts', `${token}.extra`],
    ['a non-numeric expiry', token.replace(`.${IN_AN_HOUR}.`, '.soon.')],
    ['a zero-padded expiry', token.replace(`.${IN_AN_HOUR}.`, `.0${IN_AN_HOUR}.`)],
    ['a short signature', token.slice(0, -2)],
    ['padding in the signature', `${token}=`],
    ['an overlong value', `${token}${'a'.repeat(300)}`],
  ])('refuses a malformed token (%s)', (_what, malformed) => {
    expect(signer.verify(malformed, SERVICE, NOW)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('refuses to sign what it could not verify', () => {
    expect(() => signer.sign({ serviceId: 'has.dots', expiresAt: IN_AN_HOUR })).toThrow(
      'serviceId',
    );
    expect(() => signer.sign({ serviceId: SERVICE, expiresAt: 1.5 })).toThrow('expiresAt');
    expect(() => signer.sign({ serviceId: SERVICE, expiresAt: 0 })).toThrow('expiresAt');
  });
});

describe('splitEdgeToken', () => {
  it.each([
    ['/', '/', undefined],
    ['/path?a=1', '/path?a=1', undefined],
    ['/?edge_token=slp_et_x', '/', 'slp_et_x'],
    ['/app?a=1&edge_token=slp_et_x&b=2', '/app?a=1&b=2', 'slp_et_x'],
    ['/?edge_token=first&edge_token=second', '/', 'first'],
    ['/?edge_token=slp%5Fet_x', '/', 'slp_et_x'],
    ['/?edge_token', '/', ''],
    ['/?edge_token=%E0%A4%A', '/', '%E0%A4%A'],
    ['/?my_edge_token=1', '/?my_edge_token=1', undefined],
    ['/edge_token?x=1', '/edge_token?x=1', undefined],
  ])('%s → %s with token %s', (target, rest, token) => {
    expect(splitEdgeToken(target)).toEqual({ target: rest, token });
  });
});

describe('redactEdgeToken', () => {
  it('replaces every token value and leaves the rest', () => {
    expect(redactEdgeToken('/a?x=1&edge_token=slp_et_secret&y=2')).toBe(
      '/a?x=1&edge_token=[redacted]&y=2',
    );
    expect(redactEdgeToken('/?edge_token=a&edge_token=b')).toBe(
      '/?edge_token=[redacted]&edge_token=[redacted]',
    );
    expect(redactEdgeToken('/plain?q=1')).toBe('/plain?q=1');
  });
});
