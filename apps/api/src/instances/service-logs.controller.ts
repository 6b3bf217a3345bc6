import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { type ListEnvelope } from '@slipway/contracts';
import { type Response } from 'express';
import { CurrentPrincipal } from '../auth/decorators';
import { type Principal } from '../auth/principal';
import { ApiListResponse } from '../common/http/api-responses';
import { page } from '../common/http/envelope';
import { UuidParam } from '../common/validation/uuid-param.pipe';
import { ServiceRoutes } from '../services/services-enabled.guard';
import {
  DEFAULT_SERVICE_LOG_LIMIT,
  ServiceLogLineView,
  ServiceLogsQuery,
  toServiceLogLineView,
  toServiceLogQuery,
} from './service-logs.dto';
import { ServiceLogsService } from './service-logs.service';

@ServiceRoutes('instances')
@Controller('v1/services')
export class ServiceLogsController {
  constructor(private readonly logs: ServiceLogsService) {}

  @Get(':id/logs')
  @ApiOperation({
    summary: 'Log lines of every instance of the service, stopped ones included',
    description:
      'Each line carries the instance it came from and the time the runtime received it; ' +
      'the answer is oldest first. The window is `since` (the last that many seconds) or ' +
      '`start`/`end` (start inclusive, end exclusive), never both; without either, it has no ' +
      `time bound. Of the window's lines that contain \`filter\`, the newest \`limit\` ` +
      `(default ${DEFAULT_SERVICE_LOG_LIMIT}) are returned.`,
  })
  @ApiListResponse(ServiceLogLineView)
  async list(
    @CurrentPrincipal() principal: Principal,
    @UuidParam('id') id: string,
    @Query() query: ServiceLogsQuery,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ListEnvelope<ServiceLogLineView>> {
    const runtimeQuery = toServiceLogQuery(query, new Date(), this.abortedOnClose(res));
    const lines = (await this.logs.read(principal.userId, id, runtimeQuery)).map(
      toServiceLogLineView,
    );
    return page(lines, lines.length, 1, Math.max(1, lines.length));
  }

  /** Aborted when the client goes away before the answer: the runtime reads stop. */
  private abortedOnClose(res: Response): AbortSignal {
    const abort = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) abort.abort();
    });
    return abort.signal;
  }
}
