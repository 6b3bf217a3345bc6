import type { IncomingMessage, ServerResponse } from 'node:http';
import { type Readable, Transform, type TransformCallback, pipeline } from 'node:stream';
import { Agent, type Dispatcher } from 'undici';
import { EdgeError, edgeErrors } from '../http/edge-error';
import type { Endpoint } from '../routing/route-table';
import { type HeaderMap, endToEndHeaderList } from './headers';

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
  /** The edge's own response fields (`[name, value, ...]`), added to the instance's. */
  readonly responseHeaders?: readonly string[];
  /** Counts body bytes both ways as they pass (access logs). */
  readonly meter?: TransferMeter;
}

/** Body bytes of one request: from the client, and to it. */
export interface TransferMeter {
  bytesIn: number;
  bytesOut: number;
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
  async forward(request: ForwardRequest): Promise<void> {
    const { req, res, headers, pick, meter } = request;
    const own = request.responseHeaders ?? [];
    const method = req.method ?? 'GET';
    const declared = req.headers['content-length'];
    const hasBody =
      declared !== undefined ? declared !== '0' : req.headers['transfer-encoding'] !== undefined;
    if (declared !== undefined && Number(declared) > this.options.maxBodyBytes) {
      throw edgeErrors.bodyTooLarge(this.options.maxBodyBytes);
    }
    const body = hasBody ? this.limited(req, declared === undefined, meter) : null;
    // A declared length is what passes (undici fails the request otherwise); chunked bodies are counted.
    if (meter && declared !== undefined) meter.bytesIn = Number(declared);
    const path = req.url ?? '/';
    try {
      let endpoint = pick();
      if (!endpoint) throw edgeErrors.noReadyInstance();
      try {
        await this.relay(endpoint, method, path, headers, body, res, own, meter);
      } catch (error) {
        // Replayed only while nothing has been answered: the client still sees one response.
        if (body || res.headersSent || !RETRYABLE_METHODS.has(method)) throw error;
        if (!isConnectionError(error)) throw error;
        endpoint = pick();
        if (!endpoint) throw error;
        await this.relay(endpoint, method, path, headers, null, res, own, meter);
      }
    } catch (error) {
      throw toEdgeError(error);
    }
  }

  async close(): Promise<void> {
    await this.agent.close();
  }

  private relay(
    endpoint: Endpoint,
    method: string,
    path: string,
    headers: HeaderMap,
    body: Readable | null,
    res: ServerResponse,
    own: readonly string[],
    meter: TransferMeter | undefined,
  ): Promise<void> {
    return new Promise((resolve, reject) => {
      this.agent.dispatch(
        { origin: `http://${endpoint.host}:${endpoint.port}`, path, method, headers, body },
        new ResponseRelay(res, own, meter, resolve, reject),
      );
    });
  }

  /** The request body, cut off with a 413 past the limit when its length was not declared. */
  private limited(
    req: IncomingMessage,
    chunked: boolean,
    meter: TransferMeter | undefined,
  ): Readable {
    if (!chunked) return req;
    const limit = this.options.maxBodyBytes;
    let seen = 0;
    const counter = new Transform({
      transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
        seen += chunk.length;
        if (meter) meter.bytesIn = seen;
        if (seen > limit) callback(edgeErrors.bodyTooLarge(limit));
        else callback(null, chunk);
      },
    });
    pipeline(req, counter, () => undefined);
    return counter;
  }
}

/**
 * Writes an upstream response into the client's response as undici parses it. Compared with
 * `request()` and `pipeline()`, no body stream, pipeline, AbortController or promise is made
 * per request, which is most of the proxy's own cost for small responses. When the client
 * reads slower than the instance sends, reading from the instance pauses until it drains.
 */
class ResponseRelay implements Dispatcher.DispatchHandler {
  private controller: Dispatcher.DispatchController | undefined;

  constructor(
    private readonly res: ServerResponse,
    private readonly own: readonly string[],
    private readonly meter: TransferMeter | undefined,
    private readonly resolve: () => void,
    private readonly reject: (error: Error) => void,
  ) {
    res.on('close', this.onClientClose);
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
    if (this.res.destroyed) controller.abort(new Error('the client closed the connection'));
  }

  onResponseStart(
    _controller: Dispatcher.DispatchController,
    statusCode: number,
    headers: Record<string, string | string[] | undefined>,
  ): void {
    // Interim 1xx answers are not relayed (Node answers `Expect` itself).
    if (statusCode < 200) return;
    // A flat list, and nothing set on `res` before: writeHead stores it without copying.
    this.res.writeHead(statusCode, endToEndHeaderList(headers, this.own));
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.meter) this.meter.bytesOut += chunk.length;
    if (!this.res.write(chunk) && !controller.paused) {
      controller.pause();
      this.res.once('drain', this.onDrain);
    }
  }

  onResponseEnd(): void {
    this.detach();
    this.res.end();
    this.resolve();
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    this.detach();
    // The client going away mid-response is its own business, not an edge failure.
    if (this.res.destroyed) this.resolve();
    else this.reject(error);
  }

  private readonly onClientClose = (): void => {
    // Before the response is complete: stop reading from the instance.
    if (!this.res.writableFinished) {
      this.controller?.abort(new Error('the client closed the connection'));
    }
  };

  private readonly onDrain = (): void => this.controller?.resume();

  private detach(): void {
    this.res.off('close', this.onClientClose);
    this.res.off('drain', this.onDrain);
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
