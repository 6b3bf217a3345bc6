import { type IncomingMessage, type ServerResponse, request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { type Duplex, pipeline } from 'node:stream';
import { SERVICE_HEADER } from '../haproxy/haproxy-config';
import { edgeErrors } from '../http/edge-error';
import { rawErrorResponse, sendError } from '../http/responses';
import type { Endpoint } from '../routing/route-table';

export interface ForwardOptions {
  readonly connectTimeoutMs: number;
  /** Longest silence from the instance (before and within its response), as HAProxy's `timeout server`. */
  readonly responseTimeoutMs: number;
}

// HAProxy already removed the client's hop-by-hop fields; these are its own to the agent's
// connection, and the one it names the service in. The client was sent 100 Continue.
const DROPPED_REQUEST_FIELDS = new Set([
  SERVICE_HEADER,
  'connection',
  'keep-alive',
  'proxy-connection',
  'expect',
]);
/** How long an instance may take to close its side of a tunnel after the client closed. */
const UPGRADE_LINGER_MS = 5000;
// Node frames the response to HAProxy itself (length or chunks, keep-alive or close).
const DROPPED_RESPONSE_FIELDS = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
]);

/**
 * Proxies a released request to `endpoint`: bodies stream both ways, the request as HAProxy
 * prepared it (credentials removed, forwarding fields and request id set). A failure before
 * the response started is answered 502 (504 when the instance went silent); after it, the
 * connection is cut.
 */
export function forwardRequest(
  req: IncomingMessage,
  res: ServerResponse,
  endpoint: Endpoint,
  requestId: string,
  options: ForwardOptions,
): void {
  const upstream = httpRequest({
    host: endpoint.host,
    port: endpoint.port,
    method: req.method,
    path: req.url,
    headers: keptFields(req.rawHeaders, DROPPED_REQUEST_FIELDS),
    setHost: false,
    // One connection per request: released requests are a short burst while a service wakes.
    agent: false,
    timeout: options.responseTimeoutMs,
  });
  let silent = false;
  let answered = false;
  const connecting = setTimeout(
    () => upstream.destroy(new Error('connect timeout')),
    options.connectTimeoutMs,
  );
  upstream.once('socket', (socket) => socket.once('connect', () => clearTimeout(connecting)));
  upstream.on('timeout', () => {
    silent = true;
    upstream.destroy(new Error('the instance went silent'));
  });
  upstream.on('response', (answer) => {
    answered = true;
    // As HAProxy does for an awake service: the fields its Connection header names go too.
    const dropped = new Set([...DROPPED_RESPONSE_FIELDS, ...connectionTokens(answer.rawHeaders)]);
    res.writeHead(
      answer.statusCode ?? 502,
      answer.statusMessage,
      keptFields(answer.rawHeaders, dropped),
    );
    // A failure on either side from here cuts both.
    pipeline(answer, res, () => undefined);
  });
  upstream.on('error', () => {
    clearTimeout(connecting);
    if (answered) return;
    req.unpipe(upstream);
    sendError(res, silent ? edgeErrors.gatewayTimeout() : edgeErrors.badGateway(), requestId);
  });
  // HAProxy closed the connection (its client left): nothing to wait for.
  res.on('close', () => {
    if (!res.writableFinished) upstream.destroy();
  });
  req.pipe(upstream);
}

/**
 * Proxies a released upgrade request (a WebSocket): connects to `endpoint`, sends the
 * request head as received, then pipes both sockets, the instance's handshake answer
 * included (HAProxy sees the 101 and tunnels from then on).
 */
export function forwardUpgrade(
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
  endpoint: Endpoint,
  requestId: string,
  options: ForwardOptions,
): void {
  const upstream = connect({ host: endpoint.host, port: endpoint.port });
  let connected = false;
  const connecting = setTimeout(
    () => upstream.destroy(new Error('connect timeout')),
    options.connectTimeoutMs,
  );
  upstream.once('connect', () => {
    connected = true;
    clearTimeout(connecting);
    upstream.write(requestHead(req));
    if (head.length > 0) upstream.write(head);
    upstream.pipe(socket);
    socket.pipe(upstream);
  });
  upstream.on('error', () => undefined);
  socket.on('error', () => upstream.destroy());
  // A side that ended cleanly was ended on the other by `pipe` (its last bytes still flush);
  // one that was cut is cut on the other too.
  upstream.on('close', () => {
    clearTimeout(connecting);
    if (!connected) {
      if (!socket.destroyed) socket.end(rawErrorResponse(edgeErrors.badGateway(), requestId));
    } else if (!socket.writableEnded) socket.destroy();
  });
  socket.on('close', () => {
    if (!upstream.writableEnded) upstream.destroy();
    // An instance that never closes its side after ours is not waited for long.
    else setTimeout(() => upstream.destroy(), UPGRADE_LINGER_MS).unref();
  });
}

/** Refuses a held upgrade request: its socket is answered in raw HTTP and closed. */
export function refuseUpgrade(socket: Duplex, answer: string): void {
  if (!socket.destroyed) socket.end(answer);
}

/** The request line and fields of `req` as received, but for the ones HAProxy set for the agent. */
function requestHead(req: IncomingMessage): string {
  let head = `${req.method ?? 'GET'} ${req.url ?? '/'} HTTP/${req.httpVersion}\r\n`;
  const raw = req.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    if (raw[i]?.toLowerCase() === SERVICE_HEADER) continue;
    head += `${raw[i]}: ${raw[i + 1]}\r\n`;
  }
  return `${head}\r\n`;
}

/** The field names a message's Connection header lists (RFC 9110 §7.6.1), lowercase. */
function connectionTokens(raw: readonly string[]): string[] {
  const tokens: string[] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) {
    if (raw[i]?.toLowerCase() !== 'connection') continue;
    for (const token of (raw[i + 1] ?? '').split(',')) {
      const name = token.trim().toLowerCase();
      if (name !== '') tokens.push(name);
    }
  }
  return tokens;
}

/** `rawHeaders` (name, value, name, value…) without the `dropped` fields; repeats kept. */
function keptFields(raw: readonly string[], dropped: ReadonlySet<string>): string[] {
  const kept: string[] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i] ?? '';
    if (!dropped.has(name.toLowerCase())) kept.push(name, raw[i + 1] ?? '');
  }
  return kept;
}
