import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { type DataEnvelope, type ListEnvelope } from '@slipway/contracts';
import { CurrentPrincipal } from '../auth/decorators';
import { type Principal } from '../auth/principal';
import { ApiDataResponse, ApiListResponse, ErrorResponse } from '../common/http/api-responses';
import { one, page } from '../common/http/envelope';
import { pageRequest } from '../common/http/pagination.dto';
import { parseLabelFilter } from '../common/validation/label-filter';
import { UuidParam } from '../common/validation/uuid-param.pipe';
import {
  CreateProjectDto,
  GetProjectQuery,
  ListProjectsQuery,
  ProjectView,
  toProjectView,
  UpdateProjectDto,
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
    const [projects, total] = await this.projects.list(
      principal.userId,
      query.org_id,
      parseLabelFilter(query.label),
      request,
    );
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
    const project = await this.projects.create(principal.userId, body.org_id, {
      name: body.name,
      description: body.description ?? null,
      labels: body.labels ?? {},
    });
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

  @Patch(':id')
  @ApiOperation({
    summary: 'Change name, description or labels (any member of its organization)',
    description:
      'Fields left out stay as they are; `labels` replaces the whole map. A project is renamed only while it has no services (409 project_not_empty), since runtimes name their objects after it.',
  })
  @ApiDataResponse(ProjectView)
  @ApiResponse({
    status: 409,
    type: ErrorResponse,
    description:
      'already_exists: the name is taken in the organization; project_not_empty: a rename while it has services',
  })
  async update(
    @CurrentPrincipal() principal: Principal,
    @UuidParam('id') id: string,
    @Body() body: UpdateProjectDto,
  ): Promise<DataEnvelope<ProjectView>> {
    const project = await this.projects.update(principal.userId, id, {
      name: body.name,
      description: body.description,
      labels: body.labels,
    });
    return one(toProjectView(project));
  }

  @Delete(':id')
  @ApiOperation({
    summary: 'Delete an empty project (any member of its organization); answers what was deleted',
    description:
      'Refused with 409 project_not_empty while the project has services. Its project-scoped access keys are deleted with it.',
  })
  @ApiDataResponse(ProjectView)
  @ApiResponse({
    status: 409,
    type: ErrorResponse,
    description: 'project_not_empty: the project still has services',
  })
  async remove(
    @CurrentPrincipal() principal: Principal,
    @UuidParam('id') id: string,
  ): Promise<DataEnvelope<ProjectView>> {
    return one(toProjectView(await this.projects.delete(principal.userId, id)));
  }
}
