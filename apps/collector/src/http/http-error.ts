import { ErrorCode } from '@slipway/contracts';

/** Codes the collector answers with: the platform's, plus 405 which the API never needs. */
export type CollectorErrorCode = ErrorCode | 'method_not_allowed';

/** A failure with its HTTP status, mapped to a body in one place (`sendError`). */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: CollectorErrorCode,
    message: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/** Seconds a client should wait before retrying, by cause. */
export const RETRY_AFTER_QUEUE_FULL_SECONDS = 1;
export const RETRY_AFTER_DATABASE_SECONDS = 5;

export const errors = {
  notFound: (path: string) =>
    new HttpError(
      404,
      ErrorCode.RouteNotFound,
      `No route for ${path}; spans go to POST /v1/traces`,
    ),
  methodNotAllowed: (method: string, allow: string) =>
    new HttpError(405, 'method_not_allowed', `${method} is not allowed here; use ${allow}`, {
      Allow: allow,
    }),
  unsupportedMediaType: (contentType: string) =>
    new HttpError(
      415,
      ErrorCode.UnsupportedMediaType,
      `Content-Type '${contentType}' is not supported; send application/x-protobuf or application/json`,
    ),
  unsupportedEncoding: (encoding: string) =>
    new HttpError(
      415,
      ErrorCode.UnsupportedMediaType,
      `Content-Encoding '${encoding}' is not supported; send gzip or no encoding`,
    ),
  unauthorized: (message: string) =>
    new HttpError(401, ErrorCode.Unauthorized, message, { 'WWW-Authenticate': 'Bearer' }),
  tooLarge: (limit: number, what: 'compressed' | 'decompressed') =>
    new HttpError(
      413,
      ErrorCode.PayloadTooLarge,
      what === 'compressed'
        ? `The request body is larger than ${limit} bytes`
        : `The request body is larger than ${limit} bytes once decompressed`,
    ),
  malformed: (code: ErrorCode, message: string) => new HttpError(400, code, message),
  queueFull: () =>
    new HttpError(
      429,
      ErrorCode.RateLimited,
      'The collector is writing as fast as the database allows; retry shortly',
      { 'Retry-After': String(RETRY_AFTER_QUEUE_FULL_SECONDS) },
    ),
  databaseUnavailable: () =>
    new HttpError(503, ErrorCode.ServiceUnavailable, 'The database is unavailable; retry shortly', {
      'Retry-After': String(RETRY_AFTER_DATABASE_SECONDS),
    }),
  shuttingDown: () =>
    new HttpError(503, ErrorCode.ServiceUnavailable, 'The collector is shutting down; retry', {
      'Retry-After': String(RETRY_AFTER_DATABASE_SECONDS),
    }),
  internal: () =>
    new HttpError(500, ErrorCode.InternalError, 'Internal error; the collector logged it'),
};

/** google.rpc.Code for an HTTP status, for google.rpc.Status bodies. */
export function rpcCodeFor(status: number): number {
  switch (status) {
    case 400:
    case 413:
      return 3; // INVALID_ARGUMENT
    case 401:
      return 16; // UNAUTHENTICATED
    case 404:
    case 405:
      return 12; // UNIMPLEMENTED
    case 415:
      return 3;
    case 429:
      return 8; // RESOURCE_EXHAUSTED
    case 503:
      return 14; // UNAVAILABLE
    default:
      return 13; // INTERNAL
  }
}
