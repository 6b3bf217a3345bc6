import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { encodeRpcStatus } from '../otlp/protobuf';
import { type HttpError, rpcCodeFor } from './http-error';
import { type DrainLimits, discardBody } from './read-body';

export type PayloadFormat = 'protobuf' | 'json';

export const PROTOBUF_CONTENT_TYPE = 'application/x-protobuf';
export const JSON_CONTENT_TYPE = 'application/json';

/** The caller's request id when it looks like one, else a new one. */
export function requestIdOf(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && /^[\w.:-]{1,128}$/.test(given) ? given : randomUUID();
}

export function send(
  res: ServerResponse,
  status: number,
  contentType: string,
  body: Buffer | string,
  headers: Readonly<Record<string, string>> = {},
): void {
  res.writeHead(status, {
    ...headers,
    'Content-Type': contentType,
    'Content-Length': Buffer.byteLength(body),
  });
  res.end(body);
}

/**
 * The one error body: `{"error": {code, message, request_id}}` for JSON (and whenever the
 * format is unknown); for protobuf requests a google.rpc.Status as OTLP/HTTP specifies, its
 * message ending with the request id.
 */
export function sendError(
  res: ServerResponse,
  error: HttpError,
  format: PayloadFormat | null,
  requestId: string,
  drain: DrainLimits,
): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  if (format === 'protobuf') {
    const message = `${error.message} (${error.code}, request ${requestId})`;
    answer(
      res,
      error,
      PROTOBUF_CONTENT_TYPE,
      encodeRpcStatus(rpcCodeFor(error.status), message),
      drain,
    );
    return;
  }
  const body = JSON.stringify({
    error: { code: error.code, message: error.message, request_id: requestId },
  });
  answer(res, error, JSON_CONTENT_TYPE, body, drain);
}

/**
 * Sends an error. One given while part of the request body is still on its way (401, 413,
 * ...) needs care: closing a socket with unread data makes the kernel reset the connection,
 * which can destroy the answer before a client that sends its whole body first reads it. So
 * the answer goes out at once, and the connection closes once the rest of the body is read,
 * within `drain`'s bounds.
 */
function answer(
  res: ServerResponse,
  error: HttpError,
  contentType: string,
  body: Buffer | string,
  drain: DrainLimits,
): void {
  if (!bodyUnread(res.req)) {
    send(res, error.status, contentType, body, error.headers);
    return;
  }
  res.writeHead(error.status, {
    ...error.headers,
    Connection: 'close',
    'Content-Type': contentType,
    'Content-Length': Buffer.byteLength(body),
  });
  res.write(body);
  discardBody(res.req, drain, () => res.end());
}

/** Whether part of the request body is still on its way (a bodiless request has none). */
function bodyUnread(req: IncomingMessage): boolean {
  if (req.complete) return false;
  return (
    req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length']) > 0
  );
}
