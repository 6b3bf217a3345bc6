import { request } from 'node:http';
import { connect } from 'node:net';

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/**
 * A POST that resolves with the answer even when the server answers before reading the
 * whole body and closes the connection (413), which fetch reports as a network error.
 */
export function post(
  url: string,
  body: Buffer | string,
  headers: Record<string, string>,
  options: { chunked?: boolean; method?: string } = {},
): Promise<RawResponse> {
  const payload = typeof body === 'string' ? Buffer.from(body) : body;
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: options.method ?? 'POST',
        headers: options.chunked ? headers : { ...headers, 'Content-Length': payload.length },
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks),
          }),
        );
        res.on('error', reject);
      },
    );
    // The server may stop reading early on purpose; only a missing answer is a failure.
    req.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE' && error.code !== 'ECONNRESET') reject(error);
    });
    if (options.chunked) {
      for (let offset = 0; offset < payload.length; offset += 16 * 1024) {
        req.write(payload.subarray(offset, offset + 16 * 1024));
      }
      req.end();
    } else req.end(payload);
  });
}

export function json(response: RawResponse): unknown {
  return JSON.parse(response.body.toString('utf8'));
}

export function expectErrorBody(
  response: RawResponse,
  status: number,
  code: string,
): { code: string; message: string; request_id: string } {
  expect(response.status).toBe(status);
  expect(response.headers['content-type']).toMatch(/^application\/json/);
  const body = json(response) as { error: { code: string; message: string; request_id: string } };
  expect(Object.keys(body)).toEqual(['error']);
  expect(body.error).toEqual({
    code,
    message: expect.any(String),
    request_id: expect.any(String),
  });
  return body.error;
}

export interface RawExchange {
  /** The answer, or null when the connection was cut before one could be read. */
  readonly response: RawResponse | null;
  /** What cut the connection (`ECONNRESET`, `EPIPE`), if anything did. */
  readonly error: string | null;
  /** Body bytes handed to the socket. */
  readonly sent: number;
}

export interface RawPostOptions {
  /** Body bytes to send (spaces). */
  readonly size: number;
  /** Send `Transfer-Encoding: chunked` instead of `Content-Length: size`. */
  readonly chunked?: boolean;
  /**
   * Read nothing until the whole body is written, as many HTTP clients do (true), or read
   * the answer as it comes, stopping after `stallAfter` body bytes without ending (false).
   */
  readonly readAfterSending?: boolean;
  readonly stallAfter?: number;
}

const CHUNK = Buffer.alloc(64 * 1024, 0x20);

/**
 * A POST over a bare socket, so a test controls when the client reads: a reset that loses
 * an answer shows up here as `response: null`, where Node's own client would hide it.
 */
export function rawPost(
  url: string,
  headers: Record<string, string>,
  options: RawPostOptions,
): Promise<RawExchange> {
  const { hostname, port, pathname } = new URL(url);
  const readAfterSending = options.readAfterSending ?? true;
  const toSend = Math.min(options.size, options.stallAfter ?? options.size);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    const received: Buffer[] = [];
    let error: string | null = null;
    let sent = 0;
    socket.on('data', (chunk: Buffer) => received.push(chunk));
    socket.on('error', (e: NodeJS.ErrnoException) => {
      error ??= e.code ?? e.message;
    });
    socket.on('close', () =>
      resolve({ response: parseResponse(Buffer.concat(received)), error, sent }),
    );
    if (readAfterSending) socket.pause();

    const framing = options.chunked
      ? { 'Transfer-Encoding': 'chunked' }
      : { 'Content-Length': String(options.size) };
    const head = Object.entries({ Host: hostname, ...headers, ...framing })
      .map(([name, value]) => `${name}: ${value}\r\n`)
      .join('');
    socket.write(`POST ${pathname} HTTP/1.1\r\n${head}\r\n`);
    const writeBody = (): void => {
      while (sent < toSend && !socket.destroyed) {
        const piece = CHUNK.subarray(0, Math.min(CHUNK.length, toSend - sent));
        sent += piece.length;
        const more = options.chunked
          ? socket.write(
              Buffer.concat([
                Buffer.from(`${piece.length.toString(16)}\r\n`),
                piece,
                Buffer.from('\r\n'),
              ]),
            )
          : socket.write(piece);
        if (!more) {
          socket.once('drain', writeBody);
          return;
        }
      }
      if (sent < options.size || socket.destroyed) return; // stalled, or cut
      if (options.chunked) socket.write('0\r\n\r\n');
      socket.resume();
    };
    writeBody();
  });
}

/** An HTTP/1.1 response with a Content-Length body, or null if it did not arrive whole. */
function parseResponse(bytes: Buffer): RawResponse | null {
  const end = bytes.indexOf('\r\n\r\n');
  if (end < 0) return null;
  const [statusLine, ...lines] = bytes.subarray(0, end).toString('latin1').split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const body = bytes.subarray(end + 4, end + 4 + Number(headers['content-length']));
  if (body.length !== Number(headers['content-length'])) return null;
  return { status: Number(statusLine?.split(' ')[1]), headers, body };
}
