import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  METRIC_NAMES,
  type MetricName,
  type MetricPointResource,
  type MetricSeriesResource,
} from '@slipway/contracts';

export class MetricPointView implements MetricPointResource {
  @ApiProperty({
    format: 'date-time',
    example: '2026-01-31T09:30:10.000Z',
    description: 'Start of the 10 s bucket, or the time of a runtime reading',
  })
  time!: string;
  @ApiProperty({ example: 4.2 }) value!: number;
}

export class MetricSeriesView implements MetricSeriesResource {
  @ApiProperty({ enum: METRIC_NAMES }) name!: MetricName;
  @ApiProperty({ enum: ['ok', 'error'] }) status!: 'ok' | 'error';
  @ApiPropertyOptional({
    example: 'metrics API not available on the kubernetes runtime',
    description: 'Why the series could not be read (status error only)',
  })
  error?: string;
  @ApiProperty({ type: () => [MetricPointView], description: 'Oldest first' })
  points!: MetricPointView[];
}
