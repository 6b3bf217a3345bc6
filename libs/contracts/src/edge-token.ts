import { createHmac, timingSafeEqual } from 'node:crypto';
import { deriveKey } from './credential-hash';

/**
 * Signed edge URLs: the API signs, the edge verifies, both through this one module so the
 * format cannot drift. A token is `slp_et_<service id>.<expiry, unix seconds>.<signature>`,
 * the signature being HMAC-SHA256 (base64url) over the version, service id and expiry with
 * a key derived from `SLIPWAY_SECRET_KEY` for this purpose only. It names no user and grants
 * nothing but reaching that one service until it expires.
 */

/** The HKDF purpose label: edge tokens never share key material with hashes or encryption. */
export const EDGE_TOKEN_PURPOSE = 'edge-url';
export const EDGE_TOKEN_PREFIX = 'slp_et_';
/** The query parameter a signed URL carries its token in. */
export const EDGE_TOKEN_QUERY_PARAM = 'edge_token';
/** The cookie the edge sets once a signed URL was opened (the same token, HttpOnly). */
export const EDGE_SESSION_COOKIE = 'slipway_edge';
/** The longest lifetime the API signs by default (a day). */
export const DEFAULT_MAX_EDGE_TOKEN_TTL_SECONDS = 86_400;

const VERSION = 'v1';
const SERVICE_ID = /^[A-Za-z0-9-]{1,64}$/;
const EXPIRY = /^[1-9][0-9]{0,11}$/;
const SIGNATURE = /^[A-Za-z0-9_-]{43}$/;

export interface EdgeTokenClaims {
  readonly serviceId: string;
  /** Unix time in seconds after which the token is refused. */
  readonly expiresAt: number;
}

export type EdgeTokenRefusal = 'malformed' | 'bad_signature' | 'expired' | 'wrong_service';

export type EdgeTokenCheck =
  | { readonly ok: true; readonly claims: EdgeTokenClaims }
  | { readonly ok: false; readonly reason: EdgeTokenRefusal };

export interface EdgeTokenSigner {
  sign(claims: EdgeTokenClaims): string;
  /** Checks format, signature, that it names `serviceId`, and expiry (against `nowMs`). */
  verify(token: string, serviceId: string, nowMs?: number): EdgeTokenCheck;
}

export function edgeTokenSigner(secretKey: string): EdgeTokenSigner {
  const key = deriveKey(secretKey, EDGE_TOKEN_PURPOSE);
  const signatureOf = (serviceId: string, expiresAt: number): string =>
    createHmac('sha256', key)
      .update(`${VERSION}:${serviceId}:${expiresAt}`)
      .digest()
      .toString('base64url');

  return {
    sign({ serviceId, expiresAt }) {
      if (!SERVICE_ID.test(serviceId)) throw new Error('serviceId: not a service id');
      if (!Number.isInteger(expiresAt) || !EXPIRY.test(String(expiresAt))) {
        throw new Error('expiresAt: must be a positive integer (unix seconds)');
      }
      const signature = signatureOf(serviceId, expiresAt);
      return `${EDGE_TOKEN_PREFIX}${serviceId}.${expiresAt}.${signature}`;
    },

    verify(token, serviceId, nowMs = Date.now()) {
      const claims = parse(token);
      if (!claims) return { ok: false, reason: 'malformed' };
      // Compared as text: base64url has spare bits, so decoding would accept altered tokens.
      const expected = Buffer.from(signatureOf(claims.serviceId, claims.expiresAt));
      const given = Buffer.from(claims.signature);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        return { ok: false, reason: 'bad_signature' };
      }
      if (claims.serviceId !== serviceId) return { ok: false, reason: 'wrong_service' };
      if (claims.expiresAt * 1000 <= nowMs) return { ok: false, reason: 'expired' };
      return { ok: true, claims: { serviceId: claims.serviceId, expiresAt: claims.expiresAt } };
    },
  };
}

function parse(token: string): (EdgeTokenClaims & { signature: string }) | null {
  if (token.length > 200 || !token.startsWith(EDGE_TOKEN_PREFIX)) return null;
  const parts = token.slice(EDGE_TOKEN_PREFIX.length).split('.');
  if (parts.length !== 3) return null;
  const [serviceId = '', expiry = '', signature = ''] = parts;
  if (!SERVICE_ID.test(serviceId) || !EXPIRY.test(expiry) || !SIGNATURE.test(signature)) {
    return null;
  }
  return { serviceId, expiresAt: Number(expiry), signature };
}

/**
 * Splits the edge token off a request target (`/path?a=1&edge_token=…`): the target without
 * the parameter (every occurrence) and the first token's value. Cheap when absent: the edge
 * calls it on every request.
 */
export function splitEdgeToken(target: string): { target: string; token: string | undefined } {
  const question = target.indexOf('?');
  if (question < 0 || !target.includes(EDGE_TOKEN_QUERY_PARAM, question)) {
    return { target, token: undefined };
  }
  const hash = target.indexOf('#', question);
  const end = hash < 0 ? target.length : hash;
  let token: string | undefined;
  const kept = target
    .slice(question + 1, end)
    .split('&')
    .filter((pair) => {
      const equals = pair.indexOf('=');
      const name = equals < 0 ? pair : pair.slice(0, equals);
      if (name !== EDGE_TOKEN_QUERY_PARAM) return true;
      token ??= decodeOrKeep(equals < 0 ? '' : pair.slice(equals + 1));
      return false;
    });
  if (token === undefined) return { target, token: undefined };
  const query = kept.join('&');
  return {
    target: `${target.slice(0, question)}${query ? `?${query}` : ''}${target.slice(end)}`,
    token,
  };
}

/** The URL with every edge token's value replaced, for logs. */
export function redactEdgeToken(url: string): string {
  return url.includes(EDGE_TOKEN_QUERY_PARAM)
    ? url.replace(/([?&]edge_token=)[^&#]*/g, '$1[redacted]')
    : url;
}

function decodeOrKeep(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    // Not valid percent-encoding: verification refuses it as malformed.
    return value;
  }
}
