import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { encodeRpcStatus } from '../otlp/protobuf';
import { type HttpError, rpcCodeFor } from './http-error';

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
): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  if (format === 'protobuf') {
    const message = `${error.message} (${error.code}, request ${requestId})`;
    send(
      res,
      error.status,
      PROTOBUF_CONTENT_TYPE,
      encodeRpcStatus(rpcCodeFor(error.status), message),
      error.headers,
    );
    return;
  }
  const body = JSON.stringify({
    error: { code: error.code, message: error.message, request_id: requestId },
  });
  send(res, error.status, JSON_CONTENT_TYPE, body, error.headers);
}
