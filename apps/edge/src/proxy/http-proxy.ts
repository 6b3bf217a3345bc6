import type { IncomingMessage, ServerResponse } from 'node:http';
import { type Readable, Transform, type TransformCallback, pipeline } from 'node:stream';
import { Agent, type Dispatcher } from 'undici';
import { EdgeError, edgeErrors } from '../http/edge-error';
import type { Endpoint } from '../routing/route-table';
import { type HeaderMap, endToEndHeaders } from './headers';

export interface HttpProxyOptions {
  readonly connectTimeoutMs: number;
  readonly responseTimeoutMs: number;
  readonly connectionsPerInstance: number;
  readonly maxBodyBytes: number;
}

/** Fields never sent upstream: credentials for the edge, and `Expect` (Node answers 100 itself). */
export const REQUEST_FIELDS_DROPPED = new Set(['authorization', 'expect']);

// A request without a body is replayed once on another instance when its connection failed
// before any answer: a keep-alive socket the instance closed while it drained is the usual cause.
const RETRYABLE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const CONNECTION_ERRORS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_CLOSED',
]);

export interface ForwardRequest {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  /** Headers bound upstream: end-to-end only, with X-Forwarded-* set. */
  readonly headers: HeaderMap;
  /** Chooses an instance; called again for a retry. */
  readonly pick: () => Endpoint | undefined;
}

/**
 * HTTP/1.1 forwarding over keep-alive pools, one per instance (undici's Agent keeps a Pool
 * per origin). Bodies stream both ways; nothing is buffered beyond the streams' own
 * high-water marks, so memory stays flat whatever the size.
 */
export class HttpProxy {
  private readonly agent: Agent;

  constructor(private readonly options: HttpProxyOptions) {
    this.agent = new Agent({
      connections: options.connectionsPerInstance,
      connect: { timeout: options.connectTimeoutMs },
      headersTimeout: options.responseTimeoutMs,
      bodyTimeout: options.responseTimeoutMs,
      keepAliveTimeout: 30_000,
      // Large uploads and downloads stream through; undici must not cap them.
      maxResponseSize: -1,
    });
  }

  /** Resolves once the response is complete (or failed); rejects with an EdgeError to answer. */
  async forward({ req, res, headers, pick }: ForwardRequest): Promise<void> {
    const method = req.method ?? 'GET';
    const declared = req.headers['content-length'];
    const hasBody =
      declared !== undefined ? declared !== '0' : req.headers['transfer-encoding'] !== undefined;
    if (declared !== undefined && Number(declared) > this.options.maxBodyBytes) {
      throw edgeErrors.bodyTooLarge(this.options.maxBodyBytes);
    }
    const body = hasBody ? this.limited(req, declared === undefined) : null;
    const abort = new AbortController();
    const onClose = (): void => {
      if (!res.writableFinished) abort.abort();
    };
    res.on('close', onClose);
    try {
      let endpoint = pick();
      if (!endpoint) throw edgeErrors.noReadyInstance();
      let response: Dispatcher.ResponseData;
      try {
        response = await this.send(endpoint, method, req.url ?? '/', headers, body, abort.signal);
      } catch (error) {
        if (body || !RETRYABLE_METHODS.has(method) || !isConnectionError(error)) throw error;
        endpoint = pick();
        if (!endpoint) throw error;
        response = await this.send(endpoint, method, req.url ?? '/', headers, null, abort.signal);
      }
      await this.relay(response, res);
    } catch (error) {
      throw toEdgeError(error);
    } finally {
      res.off('close', onClose);
    }
  }

  async close(): Promise<void> {
    await this.agent.close();
  }

  private send(
    endpoint: Endpoint,
    method: string,
    path: string,
    headers: HeaderMap,
    body: Readable | null,
    signal: AbortSignal,
  ): Promise<Dispatcher.ResponseData> {
    return this.agent.request({
      origin: `http://${endpoint.host}:${endpoint.port}`,
      path,
      method: method,
      headers,
      body,
      signal,
    });
  }

  private relay(response: Dispatcher.ResponseData, res: ServerResponse): Promise<void> {
    const headers = endToEndHeaders(response.headers);
    res.writeHead(response.statusCode, headers);
    return new Promise((resolve, reject) => {
      pipeline(response.body, res, (error) => {
        // The client going away mid-response is its own business, not an edge failure.
        if (error && !res.destroyed) reject(error);
        else resolve();
      });
    });
  }

  /** The request body, cut off with a 413 past the limit when its length was not declared. */
  private limited(req: IncomingMessage, chunked: boolean): Readable {
    if (!chunked) return req;
    const limit = this.options.maxBodyBytes;
    let seen = 0;
    const counter = new Transform({
      transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
        seen += chunk.length;
        if (seen > limit) callback(edgeErrors.bodyTooLarge(limit));
        else callback(null, chunk);
      },
    });
    pipeline(req, counter, () => undefined);
    return counter;
  }
}

function codeOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, cause } = error as { code?: unknown; cause?: unknown };
  if (typeof code === 'string' && code !== 'UND_ERR_SOCKET') return code;
  // undici wraps the socket's own error; its code says more.
  const inner = codeOf(cause);
  return inner ?? (typeof code === 'string' ? code : undefined);
}

function isConnectionError(error: unknown): boolean {
  const code = codeOf(error);
  return code !== undefined && CONNECTION_ERRORS.has(code);
}

/** The answer a failure deserves: timeouts 504, anything else on the way to the instance 502. */
export function toEdgeError(error: unknown): EdgeError {
  if (error instanceof EdgeError) return error;
  const wrapped = findEdgeError(error);
  if (wrapped) return wrapped;
  const code = codeOf(error);
  return code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT'
    ? edgeErrors.gatewayTimeout()
    : edgeErrors.badGateway();
}

function findEdgeError(error: unknown): EdgeError | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth += 1) {
    if (current instanceof EdgeError) return current;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
