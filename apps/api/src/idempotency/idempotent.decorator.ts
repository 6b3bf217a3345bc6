import { applyDecorators, UseInterceptors } from '@nestjs/common';
import { ApiHeader, ApiResponse } from '@nestjs/swagger';
import { ErrorResponse } from '../common/http/api-responses';
import { IdempotencyInterceptor } from './idempotency.interceptor';

/** A creating route that honours the Idempotency-Key header. */
export function Idempotent(): MethodDecorator {
  return applyDecorators(
    UseInterceptors(IdempotencyInterceptor),
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description:
        'Retry-safe key (kept at least 24 h): a replay with the same body returns the stored answer',
    }),
    ApiResponse({
      status: 409,
      type: ErrorResponse,
      description: 'A request with this key is still in progress',
    }),
    ApiResponse({
      status: 422,
      type: ErrorResponse,
      description: 'This key was used with a different request',
    }),
  );
}
