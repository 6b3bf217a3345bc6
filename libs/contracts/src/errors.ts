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
  /** The project still has services: it cannot be deleted (or renamed) until they are gone. */
  ProjectNotEmpty = 'project_not_empty',
  /** Deployments still refer to the resource profile: it cannot be deleted. */
  ResourceProfileInUse = 'resource_profile_in_use',
  /** A built-in resource profile (seeded at every start) cannot be deleted. */
  ResourceProfileBuiltIn = 'resource_profile_built_in',
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
  [ErrorCode.ProjectNotEmpty]: 409,
  [ErrorCode.ResourceProfileInUse]: 409,
  [ErrorCode.ResourceProfileBuiltIn]: 403,
  [ErrorCode.IdempotencyRequestInProgress]: 409,
  [ErrorCode.IdempotencyKeyReused]: 422,
  [ErrorCode.RateLimited]: 429,
  [ErrorCode.InternalError]: 500,
  [ErrorCode.ServiceUnavailable]: 503,
};
