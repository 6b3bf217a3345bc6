import { type IncomingMessage, request as httpRequest } from 'node:http';
import { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { edgeErrors } from '../http/edge-error';
import { writeSocketError } from '../http/responses';
import type { Endpoint } from '../routing/route-table';
import type { HeaderMap } from './headers';
import { endToEndHeaders } from './headers';

/** How an upgrade ended: once per upgrade request, when its answer or tunnel is over. */
export interface UpgradeOutcome {
  /** 101 for a tunnel; the instance's or the edge's status otherwise; 499 if the client left first. */
  readonly status: number;
  /** Bytes sent to the instance (handshake included). */
  readonly bytesIn: number;
  /** Bytes received from the instance (handshake included). */
  readonly bytesOut: number;
}

export interface WebSocketProxyOptions {
  readonly connectTimeoutMs: number;
  readonly idleTimeoutMs: number;
}

/** nginx's status for a client that went away before it was answered. */
export const CLIENT_CLOSED = 499;

/**
 * Proxies an upgrade (WebSocket) request: the handshake goes to the instance over a fresh
 * connection; once it answers 101, bytes flow both ways untouched until either side closes
 * (the other side is then closed too) or nothing moves for `idleTimeoutMs`.
 */
export class WebSocketProxy {
  private readonly open = new Set<Duplex>();

  constructor(private readonly options: WebSocketProxyOptions) {}

  /** Client sockets of tunnels still open (graceful shutdown waits for, then cuts, them). */
  get size(): number {
    return this.open.size;
  }

  forward(
    req: IncomingMessage,
    socket: Duplex,
    head: Buffer,
    endpoint: Endpoint,
    headers: HeaderMap,
    requestId: string,
    onEnd: (outcome: UpgradeOutcome) => void = () => undefined,
  ): void {
    const upstream = httpRequest({
      host: endpoint.host,
      port: endpoint.port,
      method: req.method,
      path: req.url,
      headers,
      agent: false,
      timeout: this.options.connectTimeoutMs,
    });
    let settled = false;
    const fail = (error: ReturnType<typeof edgeErrors.badGateway>): void => {
      if (settled) return;
      settled = true;
      upstream.destroy();
      writeSocketError(socket, error, requestId);
      onEnd({ status: error.status, bytesIn: 0, bytesOut: 0 });
    };
    upstream.on('timeout', () => fail(edgeErrors.gatewayTimeout()));
    upstream.on('error', () => fail(edgeErrors.badGateway()));
    // The client may leave during the handshake.
    socket.once('close', () => {
      if (!settled) {
        settled = true;
        upstream.destroy();
        onEnd({ status: CLIENT_CLOSED, bytesIn: 0, bytesOut: 0 });
      }
    });

    upstream.on('response', (res) => {
      // The instance refused to upgrade: pass its answer on and close.
      if (settled) return;
      settled = true;
      const responseHeaders = endToEndHeaders(res.headers, new Set(['content-length']));
      const lines = [`HTTP/1.1 ${res.statusCode ?? 502} ${res.statusMessage ?? ''}`];
      for (const [name, value] of Object.entries(responseHeaders)) {
        for (const one of Array.isArray(value) ? value : [value]) lines.push(`${name}: ${one}`);
      }
      lines.push('Connection: close');
      socket.write(`${lines.join('\r\n')}\r\n\r\n`);
      res.pipe(socket);
      onEnd({ status: res.statusCode ?? 502, bytesIn: 0, bytesOut: 0 });
    });

    upstream.on('upgrade', (res, upstreamSocket, upstreamHead) => {
      if (settled) {
        upstreamSocket.destroy();
        return;
      }
      settled = true;
      // The handshake's timeout must not cut the tunnel: the idle timeout takes over.
      upstreamSocket.setTimeout(0);
      const lines = [`HTTP/1.1 101 ${res.statusMessage ?? 'Switching Protocols'}`];
      for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) {
        lines.push(`${res.rawHeaders[i] ?? ''}: ${res.rawHeaders[i + 1] ?? ''}`);
      }
      socket.write(`${lines.join('\r\n')}\r\n\r\n`);
      if (upstreamHead.length > 0) socket.write(upstreamHead);
      if (head.length > 0) upstreamSocket.write(head);
      this.tunnel(socket, upstreamSocket, () =>
        onEnd({
          status: 101,
          bytesIn: upstreamSocket instanceof Socket ? upstreamSocket.bytesWritten : 0,
          bytesOut: upstreamSocket instanceof Socket ? upstreamSocket.bytesRead : 0,
        }),
      );
    });
    upstream.end();
  }

  /** Cuts every open tunnel (the end of a graceful shutdown). */
  destroyAll(): void {
    for (const socket of this.open) socket.destroy();
  }

  private tunnel(client: Duplex, upstream: Duplex, onClosed: () => void): void {
    this.open.add(client);
    let closed = false;
    const close = (): void => {
      // Reported before the sockets go, while their byte counts are at hand.
      if (!closed) {
        closed = true;
        onClosed();
      }
      client.destroy();
      upstream.destroy();
      this.open.delete(client);
    };
    // A FIN from one side is passed on by pipe(); a reset or error closes both.
    client.on('error', close);
    upstream.on('error', close);
    client.on('close', close);
    upstream.on('close', close);
    // Every byte either way passes through the client socket, so its timer covers both.
    if (client instanceof Socket) client.setTimeout(this.options.idleTimeoutMs, close);
    upstream.pipe(client);
    client.pipe(upstream);
  }
}
