import type { ErrorDetail } from './types';

/** An answer in the platform's error shape `{"error": {"code", "message", "request_id"}}`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorDetail['code'] | 'network_error' | 'unexpected_response',
    message: string,
    readonly requestId?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** The API's own error when the body has its shape; otherwise what the status says. */
export function apiErrorFrom(body: unknown, response: Response): ApiError {
  const error = isRecord(body) ? body.error : undefined;
  if (isRecord(error) && typeof error.message === 'string' && typeof error.code === 'string') {
    const requestId = typeof error.request_id === 'string' ? error.request_id : undefined;
    return new ApiError(
      response.status,
      error.code as ErrorDetail['code'],
      error.message,
      requestId,
    );
  }
  const statusText = response.statusText ? ` ${response.statusText}` : '';
  return new ApiError(
    response.status,
    'unexpected_response',
    `The API answered ${response.status}${statusText}`,
  );
}

/** Anything thrown while talking to the API, as an ApiError. */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  const reason = error instanceof Error ? error.message : String(error);
  return new ApiError(0, 'network_error', `Cannot reach the API: ${reason}`);
}
