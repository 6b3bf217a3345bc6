import { randomUUID } from 'node:crypto';
import { type IncomingMessage, type ServerResponse, STATUS_CODES } from 'node:http';
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

/**
 * The same answer written as raw HTTP/1.1, closing the connection: for a held upgrade
 * request, whose socket left the HTTP server when it asked to switch protocols.
 */
export function rawErrorResponse(error: EdgeError, requestId: string): string {
  const body = errorBody(error, requestId);
  const headers: [string, string | number][] = [
    ...Object.entries(error.headers),
    ['Content-Type', 'application/json'],
    ['Content-Length', Buffer.byteLength(body)],
    ['X-Request-Id', requestId],
    ['Connection', 'close'],
  ];
  const head = headers.map(([name, value]) => `${name}: ${value}\r\n`).join('');
  return `HTTP/1.1 ${error.status} ${STATUS_CODES[error.status] ?? 'Error'}\r\n${head}\r\n${body}`;
}
