import type { IncomingHttpHeaders } from 'node:http';

/** Hop-by-hop fields (RFC 9110 §7.6.1): meaningful for one connection, never forwarded. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

export type HeaderMap = Record<string, string | string[]>;

const NONE: ReadonlySet<string> = new Set();

/** The fields `Connection` names, lowercased: they are hop-by-hop too. */
function connectionOptions(headers: IncomingHttpHeaders | HeaderMap): ReadonlySet<string> {
  const value = headers.connection;
  if (value === undefined) return NONE;
  const list = Array.isArray(value) ? value.join(',') : value;
  // The usual values name only themselves, and they are hop-by-hop already.
  if (/^\s*(?:keep-alive|close)\s*$/i.test(list)) return NONE;
  return new Set(
    list
      .split(',')
      .map((token) => token.trim().toLowerCase())
      .filter((token) => token !== ''),
  );
}

function isHopByHop(name: string, named: ReadonlySet<string>, keepUpgrade: boolean): boolean {
  if (keepUpgrade && (name === 'upgrade' || name === 'connection')) return false;
  return HOP_BY_HOP.has(name) || named.has(name);
}

/**
 * A copy of `headers` without hop-by-hop fields (and without the fields in `drop`), with
 * every name lowercase. `Upgrade` and `Connection` survive when `keepUpgrade` is set: a
 * WebSocket handshake forwards them on purpose.
 */
export function endToEndHeaders(
  headers: IncomingHttpHeaders | HeaderMap,
  drop: ReadonlySet<string> = NONE,
  keepUpgrade = false,
): HeaderMap {
  const named = connectionOptions(headers);
  const out: HeaderMap = {};
  for (const rawName in headers) {
    const value = headers[rawName];
    if (value === undefined) continue;
    const name = rawName.toLowerCase();
    if (drop.has(name) || isHopByHop(name, named, keepUpgrade)) continue;
    out[name] = value;
  }
  return out;
}

/**
 * The end-to-end fields of a response as the flat `[name, value, ...]` list `writeHead` takes
 * without copying, a repeated field (Set-Cookie) as one pair per value, then `extra`.
 */
export function endToEndHeaderList(
  headers: Readonly<Record<string, string | string[] | undefined>>,
  extra: readonly string[],
): string[] {
  const named = connectionOptions(headers);
  const out: string[] = [];
  for (const rawName in headers) {
    const value = headers[rawName];
    if (value === undefined) continue;
    const name = rawName.toLowerCase();
    if (isHopByHop(name, named, false)) continue;
    if (typeof value === 'string') out.push(name, value);
    else for (const item of value) out.push(name, item);
  }
  for (const item of extra) out.push(item);
  return out;
}

export interface ForwardedFacts {
  readonly clientIp: string;
  readonly proto: 'http' | 'https';
  readonly host: string;
  readonly requestId: string;
  /** Keep what a trusted proxy in front said (append to the chain) rather than replacing it. */
  readonly trustProxy: boolean;
}

/** Sets `X-Forwarded-For/-Proto/-Host` and `X-Request-Id` on headers bound upstream. */
export function addForwarded(headers: HeaderMap, facts: ForwardedFacts): HeaderMap {
  const first = (value: string | string[] | undefined): string | undefined =>
    Array.isArray(value) ? value[0] : value;
  const priorFor = first(headers['x-forwarded-for']);
  headers['x-forwarded-for'] =
    facts.trustProxy && priorFor ? `${priorFor}, ${facts.clientIp}` : facts.clientIp;
  const priorProto = first(headers['x-forwarded-proto']);
  headers['x-forwarded-proto'] = facts.trustProxy && priorProto ? priorProto : facts.proto;
  const priorHost = first(headers['x-forwarded-host']);
  headers['x-forwarded-host'] = facts.trustProxy && priorHost ? priorHost : facts.host;
  headers['x-request-id'] = facts.requestId;
  return headers;
}
