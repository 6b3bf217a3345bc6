import { Injectable, Param, type PipeTransform } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { DomainError } from '../common/errors/domain-error';
import { resolveTimeWindow, TimeWindowQuery } from '../common/validation/time-window';

export const DEFAULT_TRACE_LIMIT = 20;
export const MAX_TRACE_LIMIT = 100;
export const MAX_NAME_CONTAINS_LENGTH = 256;
/** Without `since` or `start`, the list covers this much time before `end` (or now). */
export const DEFAULT_TRACE_WINDOW_SECONDS = 24 * 3600;

const TRACE_ID = /^[0-9a-f]{32}$/;

export class TracesQuery extends TimeWindowQuery {
  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: MAX_TRACE_LIMIT,
    default: DEFAULT_TRACE_LIMIT,
    description: 'Traces per page.',
  })
  @IsOptional()
  @Type(() => Number)
  @Min(1, { message: 'must be at least 1' })
  @Max(MAX_TRACE_LIMIT, { message: `must be at most ${MAX_TRACE_LIMIT}` })
  @IsInt({ message: 'must be an integer' })
  limit?: number;

  @ApiPropertyOptional({
    minimum: 0,
    example: 250,
    description: 'Only traces that lasted at least this long (milliseconds).',
  })
  @IsOptional()
  @Type(() => Number)
  @Min(0, { message: 'must be at least 0' })
  @IsInt({ message: 'must be an integer number of milliseconds' })
  min_duration_ms?: number;

  @ApiPropertyOptional({ enum: ['error'], description: 'error: only traces with a failed span.' })
  @IsOptional()
  @IsIn(['error'], { message: 'must be error' })
  status?: 'error';

  @ApiPropertyOptional({
    maxLength: MAX_NAME_CONTAINS_LENGTH,
    example: 'GET /orders',
    description:
      'Only traces with a span (any, not only the root) whose name contains this text, ignoring case.',
  })
  @IsOptional()
  @MaxLength(MAX_NAME_CONTAINS_LENGTH, {
    message: `must be at most ${MAX_NAME_CONTAINS_LENGTH} characters`,
  })
  @IsString({ message: 'must be a string' })
  name_contains?: string;

  @ApiPropertyOptional({
    description: 'pagination.next_cursor of the previous page (with the same filters).',
  })
  @IsOptional()
  @MaxLength(200, { message: 'is not a cursor this API returned' })
  @IsString({ message: 'must be a string' })
  cursor?: string;
}

/** Where a page ends: the last trace's start (microseconds, as text) and id. */
export interface TraceCursor {
  readonly startTime: string;
  readonly traceId: string;
}

/** ISO 8601 UTC with microseconds, exactly as the list query renders start times. */
const CURSOR_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

export function encodeTraceCursor(cursor: TraceCursor): string {
  return Buffer.from(`${cursor.startTime}_${cursor.traceId}`).toString('base64url');
}

export function decodeTraceCursor(value: string): TraceCursor {
  const [startTime = '', traceId = '', ...rest] = Buffer.from(value, 'base64url')
    .toString('utf8')
    .split('_');
  if (
    rest.length > 0 ||
    !CURSOR_TIME.test(startTime) ||
    Number.isNaN(Date.parse(startTime)) ||
    !TRACE_ID.test(traceId)
  ) {
    throw DomainError.validation('cursor: is not a cursor this API returned');
  }
  return { startTime, traceId };
}

export interface TraceListRequest {
  readonly windowStart: Date;
  readonly windowEnd: Date;
  readonly limit: number;
  readonly minDurationMs?: number;
  readonly errorsOnly: boolean;
  readonly nameContains?: string;
  readonly cursor?: TraceCursor;
}

/** The window is `since`, or `start`/`end`; a missing start is 24 h before the end. */
export function toTraceListRequest(query: TracesQuery, now: Date): TraceListRequest {
  const window = resolveTimeWindow(query, now);
  const windowEnd = window.end ?? now;
  const windowStart =
    window.start ?? new Date(windowEnd.getTime() - DEFAULT_TRACE_WINDOW_SECONDS * 1000);
  return {
    windowStart,
    windowEnd,
    limit: query.limit ?? DEFAULT_TRACE_LIMIT,
    ...(query.min_duration_ms === undefined ? {} : { minDurationMs: query.min_duration_ms }),
    errorsOnly: query.status === 'error',
    ...(query.name_contains ? { nameContains: query.name_contains } : {}),
    ...(query.cursor === undefined ? {} : { cursor: decodeTraceCursor(query.cursor) }),
  };
}

@Injectable()
class TraceIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    const id = value.toLowerCase();
    if (!TRACE_ID.test(id)) {
      throw DomainError.validation(`trace_id: must be 32 hexadecimal characters (got '${value}')`);
    }
    return id;
  }
}

/** The `trace_id` path parameter: 32 hex characters, answered 400 otherwise. */
export function TraceIdParam(): ParameterDecorator {
  return Param('trace_id', new TraceIdPipe());
}
