import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsISO8601, IsInt, IsOptional, IsString, Matches, Min } from 'class-validator';
import { DomainError } from '../errors/domain-error';

/** With an explicit offset: a time without one would depend on the server's time zone. */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
export const DATE_TIME_MESSAGE =
  'must be an ISO 8601 date-time with a time zone, e.g. 2026-01-31T09:30:00Z';

/**
 * A query field holding a zoned ISO 8601 date-time. Listed in the order class-validator
 * checks them, the type check first, so that is the failure reported.
 */
export function IsZonedDateTime(): PropertyDecorator {
  return applyDecorators(
    IsString({ message: DATE_TIME_MESSAGE }),
    Matches(DATE_TIME, { message: DATE_TIME_MESSAGE }),
    IsISO8601({ strict: true }, { message: DATE_TIME_MESSAGE }),
  );
}

/**
 * `since` (seconds back from now) or `start`/`end`, as validated query fields: the base of
 * every query over a time window (logs, access logs, traces, metrics).
 */
export class TimeWindowQuery {
  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    example: 3600,
    description: 'The last this many seconds. Not with start or end.',
  })
  @IsOptional()
  @Type(() => Number)
  @Min(1, { message: 'must be at least 1' })
  @IsInt({ message: 'must be an integer number of seconds' })
  since?: number;

  @ApiPropertyOptional({
    format: 'date-time',
    example: '2026-01-31T09:00:00Z',
    description: 'From this time on (inclusive).',
  })
  @IsOptional()
  @IsZonedDateTime()
  start?: string;

  @ApiPropertyOptional({
    format: 'date-time',
    example: '2026-01-31T10:00:00Z',
    description: 'Before this time (exclusive).',
  })
  @IsOptional()
  @IsZonedDateTime()
  end?: string;
}

export interface TimeWindow {
  start?: Date;
  end?: Date;
}

/**
 * The window the parameters describe: `since` counts back from `now`. The checks that span
 * fields (which class-validator reports per field) are made here.
 */
export function resolveTimeWindow(query: TimeWindowQuery, now: Date): TimeWindow {
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
  return { ...(start === undefined ? {} : { start }), ...(end === undefined ? {} : { end }) };
}

function parseDate(value: string | undefined): Date | undefined {
  return value === undefined ? undefined : new Date(value);
}
