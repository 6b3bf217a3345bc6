import { ApiPropertyOptional } from '@nestjs/swagger';
import { METRIC_NAMES, type MetricName } from '@slipway/contracts';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { DomainError } from '../common/errors/domain-error';
import { resolveTimeWindow, TimeWindowQuery } from '../common/validation/time-window';

/** Without `since` or `start`, the series cover this much time before `end` (or now). */
export const DEFAULT_METRICS_WINDOW_SECONDS = 3600;
const KNOWN_NAMES: ReadonlySet<string> = new Set(METRIC_NAMES);

export class MetricsQuery extends TimeWindowQuery {
  @ApiPropertyOptional({
    example: 'request_rate,error_rate,latency_p95',
    description: `Comma-separated metric names, each answered as its own series: ${METRIC_NAMES.join(', ')}. Default: all.`,
  })
  @IsOptional()
  @MaxLength(512, { message: 'must be at most 512 characters' })
  @IsString({ message: 'must be a comma-separated list, given once' })
  names?: string;
}

export interface MetricsRequest {
  readonly names: readonly MetricName[];
  readonly start: Date;
  readonly end: Date;
  /** Whether `end` was left open (now): only then is a current runtime reading in the window. */
  readonly openEnded: boolean;
}

function namesOf(value: string | undefined): MetricName[] {
  if (value === undefined) return [...METRIC_NAMES];
  const names: MetricName[] = [];
  for (const item of value.split(',').map((name) => name.trim())) {
    if (!KNOWN_NAMES.has(item)) {
      throw DomainError.validation(
        `names: '${item}' is not a metric (one of ${METRIC_NAMES.join(', ')})`,
      );
    }
    if (!names.includes(item as MetricName)) names.push(item as MetricName);
  }
  return names;
}

export function toMetricsRequest(query: MetricsQuery, now: Date): MetricsRequest {
  const names = namesOf(query.names);
  const window = resolveTimeWindow(query, now);
  const end = window.end ?? now;
  return {
    names,
    start: window.start ?? new Date(end.getTime() - DEFAULT_METRICS_WINDOW_SECONDS * 1000),
    end,
    openEnded: window.end === undefined || window.end.getTime() >= now.getTime(),
  };
}
