import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { type ListEnvelope } from '@slipway/contracts';
import { CurrentPrincipal } from '../auth/decorators';
import { type Principal } from '../auth/principal';
import { ApiListResponse } from '../common/http/api-responses';
import { page } from '../common/http/envelope';
import { PaginationQuery, pageRequest } from '../common/http/pagination.dto';
import { UuidParam } from '../common/validation/uuid-param.pipe';
import { OperationsService } from '../operations/operations.service';
import { ServiceOperationView, toOperationView } from '../operations/service-operation.view';
import { ServiceRoutes } from '../services/services-enabled.guard';

@ServiceRoutes('instances')
@Controller('v1/services')
export class ScalingEventsController {
  constructor(private readonly operations: OperationsService) {}

  @Get(':id/events')
  @ApiOperation({
    summary: "The service's scaling decisions, newest first, each with who decided and why",
    description:
      'Every scale: a user’s (`cause: user`), or the platform’s with its `reason`: `idle` (put ' +
      'to sleep after `idle_timeout_seconds` without a request), `wake` (a request arrived while ' +
      'it slept), `autoscale` (in-flight requests against `target_concurrency`). `status` and ' +
      '`failure_reason` say how it ended.',
  })
  @ApiListResponse(ServiceOperationView)
  async list(
    @CurrentPrincipal() principal: Principal,
    @UuidParam('id') id: string,
    @Query() query: PaginationQuery,
  ): Promise<ListEnvelope<ServiceOperationView>> {
    const request = pageRequest(query);
    const [rows, total] = await this.operations.listScales(principal.userId, id, request);
    return page(rows.map(toOperationView), total, request.page, request.perPage);
  }
}
