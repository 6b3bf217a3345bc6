import { pipeline } from 'node:stream/promises';
import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { type DataEnvelope, type ListEnvelope } from '@slipway/contracts';
import { type Response } from 'express';
import { CurrentPrincipal } from '../auth/decorators';
import { type Principal } from '../auth/principal';
import {
  ApiDataResponse,
  ApiListResponse,
  ApiTextStreamResponse,
} from '../common/http/api-responses';
import { one, page } from '../common/http/envelope';
import { DomainError } from '../common/errors/domain-error';
import { UuidParam } from '../common/validation/uuid-param.pipe';
import { FollowQuery } from '../deployments/follow.query';
import { ServiceRoutes } from '../services/services-enabled.guard';
import { PodView, ServiceStatusView, toPodView } from './instance.view';
import { InstancesService } from './instances.service';

const POD_NAME = /^[a-z0-9][a-z0-9._-]{0,252}$/;

@ServiceRoutes('instances')
@Controller('v1/services')
export class InstancesController {
  constructor(private readonly instances: InstancesService) {}

  @Get(':id/pods')
  @ApiOperation({ summary: "The service's instances with status, readiness and restarts" })
  @ApiListResponse(PodView)
  async pods(
    @CurrentPrincipal() principal: Principal,
    @UuidParam('id') id: string,
  ): Promise<ListEnvelope<PodView>> {
    const pods = (await this.instances.list(principal.userId, id)).map(toPodView);
    return page(pods, pods.length, 1, Math.max(1, pods.length));
  }

  @Get(':id/status')
  @ApiOperation({
    summary: 'Instance counts (total, ready, available) and the rollout in progress',
  })
  @ApiDataResponse(ServiceStatusView)
  async status(
    @CurrentPrincipal() principal: Principal,
    @UuidParam('id') id: string,
  ): Promise<DataEnvelope<ServiceStatusView>> {
    return one(await this.instances.status(principal.userId, id));
  }

  @Get(':id/pods/:pod/logs')
  @ApiOperation({
    summary: "An instance's log: the last 1000 lines, then follows until you disconnect",
  })
  @ApiTextStreamResponse('Log lines (text/plain)')
  async logs(
    @CurrentPrincipal() principal: Principal,
    @UuidParam('id') id: string,
    @Param('pod') pod: string,
    @Query() query: FollowQuery,
    @Res() res: Response,
  ): Promise<void> {
    if (!POD_NAME.test(pod)) {
      throw DomainError.validation(
        'pod: must be an instance name as GET /v1/services/{id}/pods lists them',
      );
    }
    const abort = new AbortController();
    res.on('close', () => abort.abort());
    const lines = await this.instances.logs(
      principal.userId,
      id,
      pod,
      query.follow ?? true,
      abort.signal,
    );
    res.status(200).type('text/plain; charset=utf-8').setHeader('Cache-Control', 'no-store');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.flushHeaders();
    await pipeline(lines, res).catch(() => undefined); // the client left: nothing to report
  }
}
