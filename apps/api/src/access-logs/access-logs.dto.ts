import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { DomainError } from '../common/errors/domain-error';
import { resolveTimeWindow, TimeWindowQuery } from '../common/validation/time-window';

export const DEFAULT_ACCESS_LOG_LIMIT = 100;
export const MAX_ACCESS_LOG_LIMIT = 1000;
export const MAX_PATH_CONTAINS_LENGTH = 256;
const MAX_LIST_LENGTH = 512;

/** The methods `method=` accepts: RFC 9110's, PATCH, and what WebDAV clients send. */
export const HTTP_METHODS = [
  'GET',
  'HEAD',
  'POST',
  'PUT',
  'PATCH',
  'DELETE',
  'OPTIONS',
  'TRACE',
  'CONNECT',
  'PROPFIND',
  'PROPPATCH',
  'MKCOL',
  'COPY',
  'MOVE',
  'LOCK',
  'UNLOCK',
] as const;
const KNOWN_METHODS: ReadonlySet<string> = new Set(HTTP_METHODS);

export class AccessLogsQuery extends TimeWindowQuery {
  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: MAX_ACCESS_LOG_LIMIT,
    default: DEFAULT_ACCESS_LOG_LIMIT,
    description: 'At most this many rows: the newest of the window.',
  })
  @IsOptional()
  @Type(() => Number)
  @Min(1, { message: 'must be at least 1' })
  @Max(MAX_ACCESS_LOG_LIMIT, { message: `must be at most ${MAX_ACCESS_LOG_LIMIT}` })
  @IsInt({ message: 'must be an integer' })
  limit?: number;

  @ApiPropertyOptional({
    example: '200,404',
    description: 'Only these statuses: a comma-separated list of integers from 100 to 599.',
  })
  @IsOptional()
  @MaxLength(MAX_LIST_LENGTH, { message: `must be at most ${MAX_LIST_LENGTH} characters` })
  @IsString({ message: 'must be a comma-separated list, given once' })
  status?: string;

  @ApiPropertyOptional({
    example: 'GET,POST',
    description: `Only these methods: a comma-separated list of ${HTTP_METHODS.join(', ')} (any case).`,
  })
  @IsOptional()
  @MaxLength(MAX_LIST_LENGTH, { message: `must be at most ${MAX_LIST_LENGTH} characters` })
  @IsString({ message: 'must be a comma-separated list, given once' })
  method?: string;

  @ApiPropertyOptional({
    maxLength: MAX_PATH_CONTAINS_LENGTH,
    example: '/api/',
    description:
      'Only requests whose path (without query string) contains this text, ignoring case.',
  })
  @IsOptional()
  @MaxLength(MAX_PATH_CONTAINS_LENGTH, {
    message: `must be at most ${MAX_PATH_CONTAINS_LENGTH} characters`,
  })
  @IsString({ message: 'must be a string, given once' })
  path_contains?: string;
}

export interface AccessLogQuery {
  readonly start?: Date;
  readonly end?: Date;
  readonly limit: number;
  readonly statuses?: readonly number[];
  readonly methods?: readonly string[];
  readonly pathContains?: string;
}

function listOf(field: string, value: string): string[] {
  const items = value.split(',').map((item) => item.trim());
  if (items.some((item) => item === '')) {
    throw DomainError.validation(`${field}: must be a comma-separated list without empty items`);
  }
  return [...new Set(items)];
}

function statusesOf(value: string): number[] {
  return listOf('status', value).map((item) => {
    const status = Number(item);
    if (!/^\d{3}$/.test(item) || status < 100 || status > 599) {
      throw DomainError.validation(
        `status: '${item}' is not an HTTP status (an integer from 100 to 599)`,
      );
    }
    return status;
  });
}

function methodsOf(value: string): string[] {
  return listOf('method', value).map((item) => {
    const method = item.toUpperCase();
    if (!KNOWN_METHODS.has(method)) {
      throw DomainError.validation(
        `method: '${item}' is not an HTTP method (one of ${HTTP_METHODS.join(', ')})`,
      );
    }
    return method;
  });
}

/** The validated query as the service reads it; the list fields are checked here. */
export function toAccessLogQuery(query: AccessLogsQuery, now: Date): AccessLogQuery {
  const window = resolveTimeWindow(query, now);
  return {
    ...window,
    limit: query.limit ?? DEFAULT_ACCESS_LOG_LIMIT,
    ...(query.status === undefined ? {} : { statuses: statusesOf(query.status) }),
    ...(query.method === undefined ? {} : { methods: methodsOf(query.method) }),
    ...(query.path_contains ? { pathContains: query.path_contains } : {}),
  };
}
