import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { type DataEnvelope } from '@slipway/contracts';
import { CurrentPrincipal } from '../auth/decorators';
import { type Principal } from '../auth/principal';
import { ApiDataResponse } from '../common/http/api-responses';
import { one } from '../common/http/envelope';
import { UuidParam } from '../common/validation/uuid-param.pipe';
import { ServiceRoutes } from '../services/services-enabled.guard';
import {
  AnalyticsQuery,
  DEFAULT_ANALYTICS_TOP,
  MAX_ANALYTICS_TOP,
  toAnalyticsRequest,
} from './analytics.dto';
import { AnalyticsService } from './analytics.service';
import { ServiceAnalyticsView } from './analytics.view';

@ServiceRoutes('analytics')
@Controller('v1/services')
export class AnalyticsController {
  constructor(private readonly analytics: AnalyticsService) {}

  @Get(':id/analytics')
  @ApiOperation({
    summary: 'A summary of the requests the edge proxied to the service over a window',
    description:
      'Computed from the access logs (the rows `GET /v1/services/{id}/access-logs` lists, which ' +
      'reach the database about a second after each request): the number of requests, requests ' +
      'per status class (1xx..5xx) and the share answered 5xx (`error_ratio`, 0 to 1), latency ' +
      'percentiles p50/p95/p99 in milliseconds (interpolated; null when the window holds no ' +
      'request), request and response body bytes summed, and the most requested paths and the ' +
      `busiest client addresses with their counts (\`top\` of each, default ${DEFAULT_ANALYTICS_TOP}, ` +
      `at most ${MAX_ANALYTICS_TOP}; most first, ties in byte order). The window is \`since\` ` +
      '(the last that many seconds) or `start`/`end` (start inclusive, end exclusive), never ' +
      'both; without either, every retained row counts. `start` and `end` in the answer echo ' +
      'the window, null where it is unbounded. An empty window answers zeros, not an error.',
  })
  @ApiDataResponse(ServiceAnalyticsView)
  async get(
    @CurrentPrincipal() principal: Principal,
    @UuidParam('id') id: string,
    @Query() query: AnalyticsQuery,
  ): Promise<DataEnvelope<ServiceAnalyticsView>> {
    return one(
      await this.analytics.summarize(principal.userId, id, toAnalyticsRequest(query, new Date())),
    );
  }
}
