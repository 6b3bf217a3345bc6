import { ERROR_STATUS, ErrorCode } from '@slipway/contracts';

/**
 * A failure the caller can act on. Thrown anywhere; the global exception filter turns it
 * into the one error body with the status that belongs to its code.
 */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }

  static notFound(resource: string, id: string): DomainError {
    return new DomainError(ErrorCode.NotFound, `${resource} ${id} was not found`);
  }

  static validation(message: string): DomainError {
    return new DomainError(ErrorCode.ValidationFailed, message);
  }

  static forbidden(message: string): DomainError {
    return new DomainError(ErrorCode.Forbidden, message);
  }

  static unauthorized(message: string): DomainError {
    return new DomainError(ErrorCode.Unauthorized, message);
  }
}
