import {
  Body,
  Controller,
  Get,
  HttpCode,
  Post,
  Query,
  Req,
  Res,
  UseInterceptors,
} from '@nestjs/common';
import {
  ApiBody,
  ApiConsumes,
  ApiExtraModels,
  ApiOperation,
  ApiResponse,
  getSchemaPath,
} from '@nestjs/swagger';
import { gitWebhookPath, type DataEnvelope, type ListEnvelope } from '@slipway/contracts';
import { type Response } from 'express';
import { CurrentPrincipal } from '../auth/decorators';
import { type Principal } from '../auth/principal';
import {
  ApiDataResponse,
  ApiListResponse,
  ApiTextStreamResponse,
  ErrorResponse,
} from '../common/http/api-responses';
import { one, page } from '../common/http/envelope';
import { PaginationQuery, pageRequest } from '../common/http/pagination.dto';
import { RequestOrigin } from '../common/http/request-origin';
import { UuidParam } from '../common/validation/uuid-param.pipe';
import { Idempotent } from '../idempotency/idempotent.decorator';
import { ServiceViews } from '../services/service-views';
import { ServiceRoutes } from '../services/services-enabled.guard';
import { BuildLogsService } from './build-logs.service';
import { DeployRequestParser } from './deploy-request.parser';
import { ImageDeployDto, RepoDeployDto, SourceDeployDto } from './deploy.dto';
import { DeploymentView, toDeploymentView } from './deployment.view';
import { DeploymentsService } from './deployments.service';
import { FollowQuery } from './follow.query';
import { GitDeploys } from './git-deploys';
import { SourceUploadInterceptor, type DeployRequest } from './source-upload.interceptor';

@ServiceRoutes('deployments')
@Controller('v1/services')
export class DeploymentsController {
  constructor(
    private readonly deployments: DeploymentsService,
    private readonly parser: DeployRequestParser,
    private readonly buildLogs: BuildLogsService,
    private readonly git: GitDeploys,
    private readonly views: ServiceViews,
  ) {}

  @Post(':id/deploy')
  @HttpCode(200)
  @Idempotent()
  @UseInterceptors(SourceUploadInterceptor)
  @ApiOperation({
    summary:
      'Deploy an image or a git repository (JSON), or build and deploy a source bundle (multipart)',
    description:
      'JSON: `{"image": ...}` or `{"repo": {url, branch, docker?, auth?}}` plus settings; a repository is connected to the service (pushes to its branch redeploy) and its branch head built. Multipart: a `source` file (.tar.gz build context) and a `data` field holding the same settings as JSON with `docker: {file, context}`.',
  })
  @ApiConsumes('application/json', 'multipart/form-data')
  @ApiExtraModels(ImageDeployDto, RepoDeployDto, SourceDeployDto)
  @ApiBody({
    schema: {
      oneOf: [
        { $ref: getSchemaPath(ImageDeployDto) },
        { $ref: getSchemaPath(RepoDeployDto) },
        {
          type: 'object',
          required: ['source', 'data'],
          properties: {
            source: { type: 'string', format: 'binary', description: '.tar.gz build context' },
            data: { type: 'string', description: `JSON: ${SourceDeployDto.name}` },
          },
        },
      ],
    },
  })
  @ApiDataResponse(DeploymentView, 'The new deployment (building or deploying)')
  @ApiResponse({
    status: 413,
    type: ErrorResponse,
    description: 'The bundle is over the size limit',
  })
  @ApiResponse({ status: 415, type: ErrorResponse, description: 'Neither JSON nor multipart' })
  async deploy(
    @CurrentPrincipal() principal: Principal,
    @UuidParam('id') id: string,
    @Req() req: DeployRequest,
    @Body() body: unknown,
    @RequestOrigin() origin: string,
  ): Promise<DataEnvelope<DeploymentView>> {
    const input = await this.parser.parse(body, req.sourceUpload);
    if (input.kind !== 'repo') {
      return one(toDeploymentView(await this.deployments.deploy(principal.userId, id, input)));
    }
    const { deployment, webhookSecret } = await this.git.deploy(principal.userId, id, input.dto);
    const view = toDeploymentView(deployment);
    if (webhookSecret === undefined) return one(view);
    const url = `${this.views.publicUrl(origin).replace(/\/$/, '')}${gitWebhookPath(id)}`;
    return one({ ...view, webhook: { url, secret: webhookSecret } });
  }

  @Get(':id/deployments')
  @ApiOperation({ summary: "A service's deployments, newest first" })
  @ApiListResponse(DeploymentView)
  async list(
    @CurrentPrincipal() principal: Principal,
    @UuidParam('id') id: string,
    @Query() query: PaginationQuery,
  ): Promise<ListEnvelope<DeploymentView>> {
    const request = pageRequest(query);
    const [rows, total] = await this.deployments.list(principal.userId, id, request);
    return page(rows.map(toDeploymentView), total, request.page, request.perPage);
  }

  @Get(':id/deployments/:deployment_id')
  @ApiOperation({ summary: 'One deployment, with its failure reason if it failed' })
  @ApiDataResponse(DeploymentView)
  async get(
    @CurrentPrincipal() principal: Principal,
    @UuidParam('id') id: string,
    @UuidParam('deployment_id') deploymentId: string,
  ): Promise<DataEnvelope<DeploymentView>> {
    return one(toDeploymentView(await this.deployments.get(principal.userId, id, deploymentId)));
  }

  @Get(':id/deployments/:deployment_id/build-logs')
  @ApiOperation({
    summary:
      "A source deployment's build log: the lines so far, then new ones until the build ends",
  })
  @ApiTextStreamResponse('Build log lines (text/plain)')
  async buildLog(
    @CurrentPrincipal() principal: Principal,
    @UuidParam('id') id: string,
    @UuidParam('deployment_id') deploymentId: string,
    @Query() query: FollowQuery,
    @Res() res: Response,
  ): Promise<void> {
    const deployment = await this.deployments.get(principal.userId, id, deploymentId);
    await this.buildLogs.stream(deployment, query.follow ?? true, res);
  }
}
