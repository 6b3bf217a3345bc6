import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { resolveTimeWindow, TimeWindowQuery } from '../common/validation/time-window';
import type { ServiceLogLine, ServiceLogQuery } from '../runtime/runtime-driver';

export const DEFAULT_SERVICE_LOG_LIMIT = 1000;
export const MAX_SERVICE_LOG_LIMIT = 10_000;
export const MAX_SERVICE_LOG_FILTER_LENGTH = 256;

export class ServiceLogsQuery extends TimeWindowQuery {
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
  const { start, end } = resolveTimeWindow(query, now);
  return {
    ...(start === undefined ? {} : { start }),
    ...(end === undefined ? {} : { end }),
    ...(query.filter ? { filter: query.filter } : {}),
    limit: query.limit ?? DEFAULT_SERVICE_LOG_LIMIT,
    signal,
  };
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
