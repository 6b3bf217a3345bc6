import { ErrorCode } from '@slipway/contracts';

/** Codes the edge answers with: the platform's, plus the proxy's own statuses. */
export type EdgeErrorCode =
  ErrorCode | 'bad_gateway' | 'gateway_timeout' | 'headers_too_large' | 'bad_request';

/** A failure with its HTTP status, turned into the one error body in one place (`sendError`). */
export class EdgeError extends Error {
  constructor(
    readonly status: number,
    readonly code: EdgeErrorCode,
    message: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'EdgeError';
  }
}

/** Seconds a client should wait before retrying a service with no ready instance. */
export const RETRY_AFTER_NO_INSTANCE_SECONDS = 5;
/** After a failed wake: the edge asks for another wake at most this often. */
export const RETRY_AFTER_WAKE_FAILED_SECONDS = 10;

function unauthorized(message: string): EdgeError {
  return new EdgeError(401, ErrorCode.Unauthorized, message, { 'WWW-Authenticate': 'Bearer' });
}

export const edgeErrors = {
  unknownHost: (host: string) =>
    new EdgeError(404, ErrorCode.NotFound, `No service is reachable at '${host}'`),
  missingHost: () =>
    new EdgeError(400, 'bad_request', 'The request has no Host header; name the service to call'),
  noReadyInstance: () =>
    new EdgeError(
      503,
      ErrorCode.ServiceUnavailable,
      'The service has no ready instance right now; retry shortly',
      { 'Retry-After': String(RETRY_AFTER_NO_INSTANCE_SECONDS) },
    ),
  notDeployed: () =>
    new EdgeError(
      503,
      ErrorCode.ServiceUnavailable,
      'The service has no successful deployment yet; deploy a version to serve requests',
      { 'Retry-After': String(RETRY_AFTER_NO_INSTANCE_SECONDS) },
    ),
  /** No Retry-After: nothing will serve here again. */
  deleted: () =>
    new EdgeError(
      503,
      ErrorCode.ServiceUnavailable,
      'The service was deleted; nothing serves this hostname any more',
    ),
  paused: () =>
    new EdgeError(
      503,
      ErrorCode.ServiceUnavailable,
      'The service is paused (scaled to 0 instances); scale it up to serve requests',
      { 'Retry-After': String(RETRY_AFTER_NO_INSTANCE_SECONDS) },
    ),
  wakeFailed: (reason: string) =>
    new EdgeError(
      503,
      ErrorCode.ServiceUnavailable,
      `The service is asleep and could not be woken: ${reason}`,
      { 'Retry-After': String(RETRY_AFTER_WAKE_FAILED_SECONDS) },
    ),
  wakeTimeout: (waitedMs: number) =>
    new EdgeError(
      503,
      ErrorCode.ServiceUnavailable,
      `The service did not wake in time (waited ${Math.ceil(waitedMs / 1000)} s); retry shortly`,
      { 'Retry-After': String(RETRY_AFTER_NO_INSTANCE_SECONDS) },
    ),
  wakeQueueFull: (limit: number) =>
    new EdgeError(
      503,
      ErrorCode.ServiceUnavailable,
      `The service is waking and already holds ${limit} waiting requests; retry shortly`,
      { 'Retry-After': String(RETRY_AFTER_NO_INSTANCE_SECONDS) },
    ),
  missingCredential: () =>
    unauthorized(
      'This service is private: send an Access Key as Authorization: Bearer <key>, or open a signed URL',
    ),
  malformedAuthorization: () =>
    unauthorized('The Authorization header must be Bearer <Access Key>'),
  invalidKey: () => unauthorized('The Access Key is not valid'),
  invalidSignedUrl: () =>
    unauthorized('The signed URL is not valid or has expired; ask for a new one'),
  invalidSession: () =>
    unauthorized('The signed-URL session is not valid or has expired; open a new signed URL'),
  // Deliberately says nothing about which scope the key has or the service needs.
  forbidden: () =>
    new EdgeError(403, ErrorCode.Forbidden, 'This Access Key cannot call this service'),
  badRequest: () => new EdgeError(400, 'bad_request', 'The request is not valid HTTP/1.1'),
  bodyTooLarge: (limit: number) =>
    new EdgeError(413, ErrorCode.PayloadTooLarge, `The request body is larger than ${limit} bytes`),
  headersTooLarge: (limit: number) =>
    new EdgeError(431, 'headers_too_large', `The request headers are larger than ${limit} bytes`),
  badGateway: () =>
    new EdgeError(502, 'bad_gateway', 'The service could not be reached; retry shortly'),
  gatewayTimeout: () => new EdgeError(504, 'gateway_timeout', 'The service did not answer in time'),
  authUnavailable: () =>
    new EdgeError(
      503,
      ErrorCode.ServiceUnavailable,
      'Access Keys cannot be checked right now; retry shortly',
      { 'Retry-After': '1' },
    ),
  internal: () => new EdgeError(500, ErrorCode.InternalError, 'Internal error; the edge logged it'),
};
