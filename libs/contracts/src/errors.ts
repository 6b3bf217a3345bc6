/** Every failure any Slipway process answers has this body. */
export interface ErrorBody {
  error: {
    code: ErrorCode;
    message: string;
    request_id: string;
  };
}

/** Machine-readable error codes; the HTTP status for each lives in `ERROR_STATUS`. */
export enum ErrorCode {
  ValidationFailed = 'validation_failed',
  MalformedJson = 'malformed_json',
  PayloadTooLarge = 'payload_too_large',
  UnsupportedMediaType = 'unsupported_media_type',
  Unauthorized = 'unauthorized',
  Forbidden = 'forbidden',
  NotFound = 'not_found',
  RouteNotFound = 'route_not_found',
  AlreadyExists = 'already_exists',
  Conflict = 'conflict',
  IdempotencyKeyReused = 'idempotency_key_reused',
  IdempotencyRequestInProgress = 'idempotency_request_in_progress',
  RateLimited = 'rate_limited',
  FeatureDisabled = 'feature_disabled',
  ServiceUnavailable = 'service_unavailable',
  InternalError = 'internal_error',
}

export const ERROR_STATUS: Readonly<Record<ErrorCode, number>> = {
  [ErrorCode.ValidationFailed]: 400,
  [ErrorCode.MalformedJson]: 400,
  [ErrorCode.PayloadTooLarge]: 413,
  [ErrorCode.UnsupportedMediaType]: 415,
  [ErrorCode.Unauthorized]: 401,
  [ErrorCode.Forbidden]: 403,
  [ErrorCode.FeatureDisabled]: 403,
  [ErrorCode.NotFound]: 404,
  [ErrorCode.RouteNotFound]: 404,
  [ErrorCode.AlreadyExists]: 409,
  [ErrorCode.Conflict]: 409,
  [ErrorCode.IdempotencyRequestInProgress]: 409,
  [ErrorCode.IdempotencyKeyReused]: 422,
  [ErrorCode.RateLimited]: 429,
  [ErrorCode.InternalError]: 500,
  [ErrorCode.ServiceUnavailable]: 503,
};
