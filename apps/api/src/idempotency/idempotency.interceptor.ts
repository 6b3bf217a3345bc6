import { createHash } from 'node:crypto';
import {
  Injectable,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { type Response } from 'express';
import { from, mergeMap, of, catchError, throwError, type Observable } from 'rxjs';
import { stringify } from 'safe-stable-stringify';
import { type AuthenticatedRequest } from '../auth/principal';
import { DomainError } from '../common/errors/domain-error';
import { IdempotencyService } from './idempotency.service';

export const IDEMPOTENCY_HEADER = 'idempotency-key';
const VALID_KEY = /^[\x21-\x7e]{1,255}$/;

/**
 * Makes a creating call safe to retry: the first request with a key runs and its answer is
 * stored; a replay with the same body gets the stored answer; another body is refused.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(private readonly idempotency: IdempotencyService) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const req = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const res = context.switchToHttp().getResponse<Response>();
    const key = req.headers[IDEMPOTENCY_HEADER];
    if (key === undefined || !req.principal) return next.handle();
    if (typeof key !== 'string' || !VALID_KEY.test(key)) {
      throw DomainError.validation(
        'Idempotency-Key: must be 1 to 255 printable ASCII characters without spaces',
      );
    }

    const requestHash = createHash('sha256')
      .update(
        stringify({
          method: req.method,
          path: req.path,
          body: req.body as unknown,
          // Uploaded files are not in the body; routes that take one record its digest here.
          upload: (req as { uploadDigest?: string }).uploadDigest,
        }) ?? '',
      )
      .digest('hex');
    const outcome = await this.idempotency.begin(req.principal.userId, key, requestHash);
    if (outcome.kind === 'replay') {
      res.status(outcome.status).setHeader('Idempotent-Replayed', 'true');
      return of(outcome.body);
    }
    return next.handle().pipe(
      mergeMap((body: unknown) =>
        from(this.idempotency.complete(outcome.recordId, res.statusCode, body).then(() => body)),
      ),
      catchError((error: unknown) =>
        from(this.idempotency.abandon(outcome.recordId)).pipe(
          mergeMap(() => throwError(() => error)),
        ),
      ),
    );
  }
}
