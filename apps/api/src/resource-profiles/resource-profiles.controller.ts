import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type DataEnvelope, type ListEnvelope } from '@slipway/contracts';
import { CurrentPrincipal } from '../auth/decorators';
import { type Principal } from '../auth/principal';
import { DomainError } from '../common/errors/domain-error';
import { ApiDataResponse, ApiListResponse } from '../common/http/api-responses';
import { one, page } from '../common/http/envelope';
import { pageRequest } from '../common/http/pagination.dto';
import { UuidParam } from '../common/validation/uuid-param.pipe';
import {
  CreateResourceProfileDto,
  ListResourceProfilesQuery,
  ResourceProfileView,
  toResourceProfileView,
} from './resource-profile.dto';
import { ResourceProfilesService } from './resource-profiles.service';

@ApiTags('resource-profiles')
@ApiBearerAuth()
@Controller('v1/resource-profiles')
export class ResourceProfilesController {
  constructor(private readonly profiles: ResourceProfilesService) {}

  @Get()
  @ApiOperation({ summary: 'Resource profiles (sizes) services can use' })
  @ApiListResponse(ResourceProfileView)
  async list(
    @Query() query: ListResourceProfilesQuery,
  ): Promise<ListEnvelope<ResourceProfileView>> {
    const request = pageRequest(query);
    const [profiles, total] = await this.profiles.list(
      query.purpose,
      query.sort ?? 'sort_order',
      request,
    );
    return page(profiles.map(toResourceProfileView), total, request.page, request.perPage);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One resource profile' })
  @ApiDataResponse(ResourceProfileView)
  async get(@UuidParam('id') id: string): Promise<DataEnvelope<ResourceProfileView>> {
    return one(toResourceProfileView(await this.profiles.get(id)));
  }

  @Post()
  @HttpCode(200)
  @ApiOperation({ summary: 'Add a resource profile (admins only)' })
  @ApiDataResponse(ResourceProfileView)
  async create(
    @CurrentPrincipal() principal: Principal,
    @Body() body: CreateResourceProfileDto,
  ): Promise<DataEnvelope<ResourceProfileView>> {
    if (!principal.isAdmin) throw DomainError.forbidden('Only admins can add resource profiles');
    const profile = await this.profiles.create({
      name: body.name,
      description: body.description ?? null,
      purpose: 'service',
      cpu: body.cpu,
      memory: body.memory,
      gpuType: body.gpu_type ?? null,
      gpuCount: body.gpu_count ?? 0,
      sortOrder: body.sort_order ?? 0,
    });
    return one(toResourceProfileView(profile));
  }
}
