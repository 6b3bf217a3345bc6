import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { type ListEnvelope } from '@slipway/contracts';
import { CurrentPrincipal } from '../auth/decorators';
import { type Principal } from '../auth/principal';
import { ApiListResponse } from '../common/http/api-responses';
import { page } from '../common/http/envelope';
import { UuidParam } from '../common/validation/uuid-param.pipe';
import { ServiceRoutes } from '../services/services-enabled.guard';
import { AccessLogView } from './access-log.view';
import {
  AccessLogsQuery,
  DEFAULT_ACCESS_LOG_LIMIT,
  MAX_ACCESS_LOG_LIMIT,
  toAccessLogQuery,
} from './access-logs.dto';
import { AccessLogsService } from './access-logs.service';

@ServiceRoutes('access-logs')
@Controller('v1/services')
export class AccessLogsController {
  constructor(private readonly accessLogs: AccessLogsService) {}

  @Get(':id/access-logs')
  @ApiOperation({
    summary: 'Requests the edge proxied to the service, newest first',
    description:
      'One row per request; a WebSocket is one row with status 101, written when its tunnel ' +
      'closed. Rows reach the database in batches, about a second after the request. The ' +
      'window is `since` (the last that many seconds) or `start`/`end` (start inclusive, end ' +
      'exclusive), never both; without either, every retained row counts. `status`, `method` ' +
      '(comma-separated lists) and `path_contains` (ignoring case) narrow it. The newest ' +
      `\`limit\` (default ${DEFAULT_ACCESS_LOG_LIMIT}, at most ${MAX_ACCESS_LOG_LIMIT}) rows are returned.`,
  })
  @ApiListResponse(AccessLogView)
  async list(
    @CurrentPrincipal() principal: Principal,
    @UuidParam('id') id: string,
    @Query() query: AccessLogsQuery,
  ): Promise<ListEnvelope<AccessLogView>> {
    const rows = await this.accessLogs.list(
      principal.userId,
      id,
      toAccessLogQuery(query, new Date()),
    );
    return page(rows, rows.length, 1, Math.max(1, rows.length));
  }
}
