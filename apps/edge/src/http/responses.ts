import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { EdgeError } from './edge-error';

const REQUEST_ID = /^[\w.:-]{1,128}$/;

/** The caller's request id when it looks like one, else a new one. */
export function requestIdOf(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
}

export function errorBody(error: EdgeError, requestId: string): string {
  return JSON.stringify({
    error: { code: error.code, message: error.message, request_id: requestId },
  });
}

/**
 * Answers with the one error body `{"error": {code, message, request_id}}`; returns the
 * body's length in bytes (0 when the response had already started and is cut instead).
 */
export function sendError(res: ServerResponse, error: EdgeError, requestId: string): number {
  if (res.headersSent) {
    // Too late for a status: cutting the connection is the only honest signal left.
    res.destroy();
    return 0;
  }
  const body = errorBody(error, requestId);
  const length = Buffer.byteLength(body);
  res.writeHead(error.status, {
    ...error.headers,
    'Content-Type': 'application/json',
    'Content-Length': length,
    'X-Request-Id': requestId,
  });
  res.end(body);
  return length;
}

/** The same body on a raw socket: upgrade requests and client errors have no ServerResponse. */
export function writeSocketError(socket: Duplex, error: EdgeError, requestId: string): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const body = errorBody(error, requestId);
  const head = [
    `HTTP/1.1 ${error.status} ${STATUS_TEXT[error.status] ?? 'Error'}`,
    'Content-Type: application/json',
    `Content-Length: ${Buffer.byteLength(body)}`,
    `X-Request-Id: ${requestId}`,
    ...Object.entries(error.headers).map(([name, value]) => `${name}: ${value}`),
    'Connection: close',
  ];
  socket.end(`${head.join('\r\n')}\r\n\r\n${body}`);
}

const STATUS_TEXT: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  413: 'Payload Too Large',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};
