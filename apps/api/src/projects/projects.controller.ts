import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type DataEnvelope, type ListEnvelope } from '@slipway/contracts';
import { CurrentPrincipal } from '../auth/decorators';
import { type Principal } from '../auth/principal';
import { ApiDataResponse, ApiListResponse } from '../common/http/api-responses';
import { one, page } from '../common/http/envelope';
import { pageRequest } from '../common/http/pagination.dto';
import { UuidParam } from '../common/validation/uuid-param.pipe';
import {
  CreateProjectDto,
  GetProjectQuery,
  ListProjectsQuery,
  ProjectView,
  toProjectView,
} from './project.dto';
import { ProjectsService } from './projects.service';

@ApiTags('projects')
@ApiBearerAuth()
@Controller('v1/projects')
export class ProjectsController {
  constructor(private readonly projects: ProjectsService) {}

  @Get()
  @ApiOperation({ summary: 'Projects of one organization (org_id), or of all yours' })
  @ApiListResponse(ProjectView)
  async list(
    @CurrentPrincipal() principal: Principal,
    @Query() query: ListProjectsQuery,
  ): Promise<ListEnvelope<ProjectView>> {
    const request = pageRequest(query);
    const [projects, total] = await this.projects.list(principal.userId, query.org_id, request);
    return page(projects.map(toProjectView), total, request.page, request.perPage);
  }

  @Post()
  @HttpCode(200)
  @ApiOperation({ summary: 'Create a project in an organization' })
  @ApiDataResponse(ProjectView)
  async create(
    @CurrentPrincipal() principal: Principal,
    @Body() body: CreateProjectDto,
  ): Promise<DataEnvelope<ProjectView>> {
    const project = await this.projects.create(
      principal.userId,
      body.org_id,
      body.name,
      body.description ?? null,
    );
    return one(toProjectView(project));
  }

  @Get(':id')
  @ApiOperation({ summary: 'One project' })
  @ApiDataResponse(ProjectView)
  async get(
    @CurrentPrincipal() principal: Principal,
    @UuidParam('id') id: string,
    @Query() query: GetProjectQuery,
  ): Promise<DataEnvelope<ProjectView>> {
    return one(
      toProjectView(await this.projects.requireAccessible(principal.userId, id, query.org_id)),
    );
  }
}
