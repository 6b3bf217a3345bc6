import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { type DataEnvelope, type ListEnvelope } from '@slipway/contracts';
import { CurrentPrincipal } from '../auth/decorators';
import { type Principal } from '../auth/principal';
import { DomainError } from '../common/errors/domain-error';
import { ApiDataResponse, ApiListResponse, ErrorResponse } from '../common/http/api-responses';
import { one, page } from '../common/http/envelope';
import { pageRequest } from '../common/http/pagination.dto';
import { parseLabelFilter } from '../common/validation/label-filter';
import { UuidParam } from '../common/validation/uuid-param.pipe';
import {
  CreateResourceProfileDto,
  ListResourceProfilesQuery,
  ResourceProfileView,
  toResourceProfileView,
  UpdateResourceProfileDto,
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
      parseLabelFilter(query.label),
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
      labels: body.labels ?? {},
    });
    return one(toResourceProfileView(profile));
  }

  @Patch(':id')
  @ApiOperation({
    summary: 'Change the description or labels of a resource profile (admins only)',
    description:
      'Fields left out stay as they are; `labels` replaces the whole map. Name and size never change: deployments copy the size and keep the id.',
  })
  @ApiDataResponse(ResourceProfileView)
  async update(
    @CurrentPrincipal() principal: Principal,
    @UuidParam('id') id: string,
    @Body() body: UpdateResourceProfileDto,
  ): Promise<DataEnvelope<ResourceProfileView>> {
    if (!principal.isAdmin) throw DomainError.forbidden('Only admins can change resource profiles');
    const profile = await this.profiles.update(id, {
      description: body.description,
      labels: body.labels,
    });
    return one(toResourceProfileView(profile));
  }

  @Delete(':id')
  @ApiOperation({
    summary: 'Delete a resource profile (admins only); answers what was deleted',
    description:
      'Refused for the built-in profiles (403 resource_profile_built_in) and while any deployment was made with the profile (409 resource_profile_in_use).',
  })
  @ApiDataResponse(ResourceProfileView)
  @ApiResponse({
    status: 409,
    type: ErrorResponse,
    description: 'resource_profile_in_use: deployments refer to the profile',
  })
  async remove(
    @CurrentPrincipal() principal: Principal,
    @UuidParam('id') id: string,
  ): Promise<DataEnvelope<ResourceProfileView>> {
    if (!principal.isAdmin) throw DomainError.forbidden('Only admins can delete resource profiles');
    return one(toResourceProfileView(await this.profiles.delete(id)));
  }
}
