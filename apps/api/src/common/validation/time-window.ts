import { applyDecorators } from '@nestjs/common';
import { IsISO8601, IsString, Matches } from 'class-validator';
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

/** `since` (seconds back from now) or `start`/`end`, as validated query fields. */
export interface TimeWindowQuery {
  since?: number;
  start?: string;
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
