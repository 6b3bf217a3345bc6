import { Controller, Get, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiExtraModels,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiUnauthorizedResponse,
  getSchemaPath,
} from '@nestjs/swagger';
import { METRIC_NAMES, REQUEST_METRICS_BUCKET_SECONDS } from '@slipway/contracts';
import { CurrentPrincipal } from '../auth/decorators';
import { type Principal } from '../auth/principal';
import { ErrorResponse } from '../common/http/api-responses';
import { UuidParam } from '../common/validation/uuid-param.pipe';
import { ServiceRoutes } from '../services/services-enabled.guard';
import { MetricPointView, MetricSeriesView } from './metric.view';
import { DEFAULT_METRICS_WINDOW_SECONDS, MetricsQuery, toMetricsRequest } from './metrics.dto';
import { MetricsService } from './metrics.service';

@ServiceRoutes('metrics')
@Controller('v1/services')
export class MetricsController {
  constructor(private readonly metrics: MetricsService) {}

  @Get(':id/metrics')
  @ApiOperation({
    summary: 'Time series of the service’s requests and resource usage',
    description:
      `\`names\` picks from ${METRIC_NAMES.join(', ')} (default all); each comes back as its ` +
      'own series with a `status`, so one metric that cannot be read (`status: error` and an ' +
      '`error` message) does not fail the others. `request_rate` (requests per second), ' +
      '`error_rate` (5xx answers per second) and `latency_p95` (milliseconds) have one point ' +
      `per ${REQUEST_METRICS_BUCKET_SECONDS} s bucket with traffic, from the edge's rollups ` +
      '(about 10 s behind). `cpu_usage` (cores) and `memory_usage` (bytes) are summed over ' +
      'running instances: the samples taken every `SLIPWAY_USAGE_SAMPLE_SECONDS` (averaged ' +
      'into at most about 720 points for a long window), then a reading at now when the ' +
      'window reaches now. The window is `since` or `start`/`end`; without ' +
      `either, the last ${DEFAULT_METRICS_WINDOW_SECONDS} seconds.`,
  })
  @ApiExtraModels(MetricSeriesView, MetricPointView, ErrorResponse)
  @ApiBadRequestResponse({ type: ErrorResponse, description: 'Invalid input, or an unknown name' })
  @ApiUnauthorizedResponse({
    type: ErrorResponse,
    description: 'Missing, invalid or revoked token',
  })
  @ApiNotFoundResponse({ type: ErrorResponse, description: 'Not found (or not visible to you)' })
  @ApiOkResponse({
    description: 'One series per name asked for, in the order asked',
    schema: {
      type: 'object',
      required: ['data'],
      properties: { data: { type: 'array', items: { $ref: getSchemaPath(MetricSeriesView) } } },
    },
  })
  async get(
    @CurrentPrincipal() principal: Principal,
    @UuidParam('id') id: string,
    @Query() query: MetricsQuery,
  ): Promise<{ data: MetricSeriesView[] }> {
    const request = toMetricsRequest(query, new Date());
    return { data: await this.metrics.series(principal.userId, id, request) };
  }
}
