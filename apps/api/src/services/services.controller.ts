import { Body, Controller, Delete, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiResponse } from '@nestjs/swagger';
import { type DataEnvelope, type ListEnvelope } from '@slipway/contracts';
import { CurrentPrincipal } from '../auth/decorators';
import { type Principal } from '../auth/principal';
import { ApiDataResponse, ApiListResponse, ErrorResponse } from '../common/http/api-responses';
import { one, page } from '../common/http/envelope';
import { pageRequest } from '../common/http/pagination.dto';
import { RequestOrigin } from '../common/http/request-origin';
import { parseLabelFilter } from '../common/validation/label-filter';
import { UuidParam } from '../common/validation/uuid-param.pipe';
import { Idempotent } from '../idempotency/idempotent.decorator';
import {
  CreateServiceDto,
  DeleteServiceQuery,
  ListServicesQuery,
  ServiceView,
  toServiceView,
} from './service.dto';
import { ServiceViews } from './service-views';
import { ServiceRoutes } from './services-enabled.guard';
import { ServicesService } from './services.service';

@ServiceRoutes('services')
@Controller('v1/services')
export class ServicesController {
  constructor(
    private readonly services: ServicesService,
    private readonly views: ServiceViews,
  ) {}

  @Post()
  @HttpCode(200)
  @Idempotent()
  @ApiOperation({ summary: 'Create a service; it gets its hostname now' })
  @ApiDataResponse(ServiceView)
  @ApiResponse({
    status: 409,
    type: ErrorResponse,
    description: 'A service with this name exists in the project',
  })
  async create(
    @CurrentPrincipal() principal: Principal,
    @Body() body: CreateServiceDto,
    @RequestOrigin() origin: string,
  ): Promise<DataEnvelope<ServiceView>> {
    const service = await this.services.create(principal.userId, {
      name: body.name,
      projectId: body.project_id,
      description: body.description ?? null,
      category: body.category,
      accessType: body.access_control?.access_type,
      labels: body.labels ?? {},
      tags: body.tags ?? [],
      port: body.port,
    });
    return one(await this.views.one(service, origin));
  }

  @Get()
  @ApiOperation({
    summary: "A project's services (project_id), or an organization's (org_id)",
    description:
      'Give project_id, org_id or both (then the project must belong to that organization); with neither the answer is 400. A project or organization you do not belong to is 404.',
  })
  @ApiListResponse(ServiceView)
  async list(
    @CurrentPrincipal() principal: Principal,
    @Query() query: ListServicesQuery,
    @RequestOrigin() origin: string,
  ): Promise<ListEnvelope<ServiceView>> {
    const request = pageRequest(query);
    const [services, total] = await this.services.list(
      principal.userId,
      {
        projectId: query.project_id,
        orgId: query.org_id,
        status: query.status,
        labels: parseLabelFilter(query.label),
        tags: query.tag ?? [],
      },
      request,
    );
    return page(await this.views.many(services, origin), total, request.page, request.perPage);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One service, with its hostname' })
  @ApiDataResponse(ServiceView)
  async get(
    @CurrentPrincipal() principal: Principal,
    @UuidParam('id') id: string,
    @RequestOrigin() origin: string,
  ): Promise<DataEnvelope<ServiceView>> {
    return one(await this.views.one(await this.services.get(principal.userId, id), origin));
  }

  @Delete(':id')
  @ApiOperation({
    summary: 'Delete the service with its instances, deployments, sources, logs and traces',
    description:
      'From the start, traffic to its hostname and domains answers 503 (`The service was deleted`). Without `force` the instances drain and stop with their grace period; with `force=true` they are killed at once. The answer comes when everything is gone.',
  })
  @ApiDataResponse(ServiceView)
  async remove(
    @CurrentPrincipal() principal: Principal,
    @UuidParam('id') id: string,
    @Query() query: DeleteServiceQuery,
  ): Promise<DataEnvelope<ServiceView>> {
    return one(
      toServiceView(
        await this.services.delete(principal.userId, id, {
          force: query.force ?? false,
          keepVolumes: query.keep_volumes ?? false,
        }),
      ),
    );
  }
}
