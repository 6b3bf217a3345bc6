import { ArgumentsHost, Catch, HttpException, Logger, type ExceptionFilter } from '@nestjs/common';
import { ErrorCode } from '@slipway/contracts';
import { type Request, type Response } from 'express';
import { QueryFailedError } from 'typeorm';
import { requestIdOf } from '../http/request-id';
import { DomainError } from './domain-error';
import { sendError } from './error-response';

const STATUS_CODES: Readonly<Record<number, ErrorCode>> = {
  400: ErrorCode.ValidationFailed,
  401: ErrorCode.Unauthorized,
  403: ErrorCode.Forbidden,
  404: ErrorCode.RouteNotFound,
  409: ErrorCode.Conflict,
  413: ErrorCode.PayloadTooLarge,
  415: ErrorCode.UnsupportedMediaType,
  429: ErrorCode.RateLimited,
};

const UNIQUE_VIOLATION = '23505';

/** Turns every failure into `{"error": {code, message, request_id}}`; 500s never leak internals. */
@Catch()
export class GlobalExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('ExceptionFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const req = http.getRequest<Request>();
    const res = http.getResponse<Response>();
    const requestId = requestIdOf(req);
    if (res.headersSent) {
      // A streamed response already started: the only honest signal left is to cut it.
      res.destroy();
      return;
    }

    if (exception instanceof DomainError) {
      sendError(
        res,
        exception.status,
        exception.code,
        exception.message,
        requestId,
        exception.headers,
      );
      return;
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const code = STATUS_CODES[status];
      if (code) {
        const message =
          code === ErrorCode.RouteNotFound
            ? `No route for ${req.method} ${req.path}`
            : exception.message;
        sendError(res, status, code, message, requestId);
        return;
      }
    }
    if (
      exception instanceof QueryFailedError &&
      (exception.driverError as { code?: string } | undefined)?.code === UNIQUE_VIOLATION
    ) {
      // A concurrent request won the race for a unique name.
      sendError(res, 409, ErrorCode.AlreadyExists, 'The resource already exists', requestId);
      return;
    }

    this.logger.error({ err: exception, requestId }, 'Unhandled error');
    sendError(
      res,
      500,
      ErrorCode.InternalError,
      `An internal error occurred; quote request id ${requestId} when reporting it`,
      requestId,
    );
  }
}
