import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsISO8601,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { DomainError } from '../common/errors/domain-error';
import type { ServiceLogLine, ServiceLogQuery } from '../runtime/runtime-driver';

export const DEFAULT_SERVICE_LOG_LIMIT = 1000;
export const MAX_SERVICE_LOG_LIMIT = 10_000;
export const MAX_SERVICE_LOG_FILTER_LENGTH = 256;

/** With an explicit offset: a time without one would depend on the server's time zone. */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
const DATE_TIME_MESSAGE =
  'must be an ISO 8601 date-time with a time zone, e.g. 2026-01-31T09:30:00Z';

export class ServiceLogsQuery {
  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    example: 3600,
    description: 'Lines of the last this many seconds. Not with start or end.',
  })
  @IsOptional()
  @Type(() => Number)
  @Min(1, { message: 'must be at least 1' })
  @IsInt({ message: 'must be an integer number of seconds' })
  since?: number;

  @ApiPropertyOptional({
    format: 'date-time',
    example: '2026-01-31T09:00:00Z',
    description: 'Lines at or after this time.',
  })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: DATE_TIME_MESSAGE })
  @Matches(DATE_TIME, { message: DATE_TIME_MESSAGE })
  @IsString({ message: DATE_TIME_MESSAGE })
  start?: string;

  @ApiPropertyOptional({
    format: 'date-time',
    example: '2026-01-31T10:00:00Z',
    description: 'Lines before this time.',
  })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: DATE_TIME_MESSAGE })
  @Matches(DATE_TIME, { message: DATE_TIME_MESSAGE })
  @IsString({ message: DATE_TIME_MESSAGE })
  end?: string;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: MAX_SERVICE_LOG_LIMIT,
    default: DEFAULT_SERVICE_LOG_LIMIT,
    description: 'At most this many lines: the newest of the window.',
  })
  @IsOptional()
  @Type(() => Number)
  @Min(1, { message: 'must be at least 1' })
  @Max(MAX_SERVICE_LOG_LIMIT, { message: `must be at most ${MAX_SERVICE_LOG_LIMIT}` })
  @IsInt({ message: 'must be an integer' })
  limit?: number;

  @ApiPropertyOptional({
    maxLength: MAX_SERVICE_LOG_FILTER_LENGTH,
    example: 'ERROR',
    description: 'Only lines that contain this text (case-sensitive).',
  })
  @IsOptional()
  @MaxLength(MAX_SERVICE_LOG_FILTER_LENGTH, {
    message: `must be at most ${MAX_SERVICE_LOG_FILTER_LENGTH} characters`,
  })
  @IsString({ message: 'must be a string' })
  filter?: string;
}

/**
 * The runtime query for validated parameters: `since` counts back from `now`; the checks
 * that span fields (which class-validator reports per field) are made here.
 */
export function toServiceLogQuery(
  query: ServiceLogsQuery,
  now: Date,
  signal: AbortSignal,
): ServiceLogQuery {
  if (query.since !== undefined && (query.start !== undefined || query.end !== undefined)) {
    throw DomainError.validation('since: cannot be combined with start or end');
  }
  const start =
    query.since === undefined
      ? parseDate(query.start)
      : new Date(Math.max(0, now.getTime() - query.since * 1000));
  const end = parseDate(query.end);
  if (start !== undefined && end !== undefined && start.getTime() >= end.getTime()) {
    throw DomainError.validation('start: must be before end');
  }
  return {
    ...(start === undefined ? {} : { start }),
    ...(end === undefined ? {} : { end }),
    ...(query.filter ? { filter: query.filter } : {}),
    limit: query.limit ?? DEFAULT_SERVICE_LOG_LIMIT,
    signal,
  };
}

function parseDate(value: string | undefined): Date | undefined {
  return value === undefined ? undefined : new Date(value);
}

export class ServiceLogLineView {
  @ApiProperty({
    example: 'slp-web-1a2b3c4d-5e6f7a8b-0',
    description: 'The instance (container or pod)',
  })
  instance!: string;
  @ApiProperty({ format: 'date-time', description: 'When the runtime received the line' })
  timestamp!: string;
  @ApiProperty({ example: 'GET /healthz 200' }) message!: string;
}

export function toServiceLogLineView(line: ServiceLogLine): ServiceLogLineView {
  return {
    instance: line.instance,
    timestamp: line.timestamp.toISOString(),
    message: line.message,
  };
}
