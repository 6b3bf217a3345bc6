import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { resolveTimeWindow, TimeWindowQuery } from '../common/validation/time-window';

export const DEFAULT_ANALYTICS_TOP = 10;
export const MAX_ANALYTICS_TOP = 50;

export class AnalyticsQuery extends TimeWindowQuery {
  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: MAX_ANALYTICS_TOP,
    default: DEFAULT_ANALYTICS_TOP,
    description: 'How many entries `top_paths` and `top_client_ips` hold at most.',
  })
  @IsOptional()
  @Type(() => Number)
  @Min(1, { message: 'must be at least 1' })
  @Max(MAX_ANALYTICS_TOP, { message: `must be at most ${MAX_ANALYTICS_TOP}` })
  @IsInt({ message: 'must be an integer' })
  top?: number;
}

export interface AnalyticsRequest {
  readonly start?: Date;
  readonly end?: Date;
  readonly top: number;
}

/** The validated query as the service reads it; the window's cross-field checks are made here. */
export function toAnalyticsRequest(query: AnalyticsQuery, now: Date): AnalyticsRequest {
  return { ...resolveTimeWindow(query, now), top: query.top ?? DEFAULT_ANALYTICS_TOP };
}
