import { Body, Controller, Put } from '@nestjs/common';
import { ApiOperation, ApiResponse } from '@nestjs/swagger';
import { type DataEnvelope } from '@slipway/contracts';
import { CurrentPrincipal } from '../auth/decorators';
import { type Principal } from '../auth/principal';
import { ApiDataResponse, ErrorResponse } from '../common/http/api-responses';
import { one } from '../common/http/envelope';
import { UuidParam } from '../common/validation/uuid-param.pipe';
import { RequestOrigin } from '../common/http/request-origin';
import { ServiceView, UpdateServiceDto } from '../services/service.dto';
import { ServiceViews } from '../services/service-views';
import { ServiceRoutes } from '../services/services-enabled.guard';
import { ServicesService } from '../services/services.service';
import { GitDeploys } from './git-deploys';
import { RelaunchService } from './relaunch.service';

/**
 * `PUT /v1/services/{id}`. It lives with the deployments because some fields (the port, the
 * repository) roll out a new deployment: that is checked before anything is saved, and
 * started after.
 */
@ServiceRoutes('services')
@Controller('v1/services')
export class ServiceUpdateController {
  constructor(
    private readonly services: ServicesService,
    private readonly relaunch: RelaunchService,
    private readonly git: GitDeploys,
    private readonly views: ServiceViews,
  ) {}

  @Put(':id')
  @ApiOperation({
    summary:
      'Update description, access control, category, the replica bounds, custom domains, labels, tags, the port or the git repository',
    description:
      'Fields left out stay as they are; `domains`, `labels` and `tags` replace the whole list or map. A new `port` on a deployed service redeploys its current deployment with that port (trigger `port_update`), without downtime. Connecting a `repo`, or changing what is built from it, builds its branch head at once (trigger `repo_update`); the answer that connects it shows the webhook secret, once.',
  })
  @ApiDataResponse(ServiceView)
  @ApiResponse({
    status: 409,
    type: ErrorResponse,
    description:
      'A requested custom domain is in use on the platform, or a port or repository change on a paused service',
  })
  async update(
    @CurrentPrincipal() principal: Principal,
    @UuidParam('id') id: string,
    @Body() body: UpdateServiceDto,
    @RequestOrigin() origin: string,
  ): Promise<DataEnvelope<ServiceView>> {
    const before = await this.services.get(principal.userId, id);
    const portRollout =
      body.port === undefined
        ? null
        : await this.relaunch.preparePortChange(principal.userId, before, body.port);
    const repoChange =
      body.repo === undefined
        ? null
        : await this.git.prepareChange(principal.userId, before, body.repo, body.port);
    const service = await this.services.update(principal.userId, id, {
      description: body.description,
      category: body.category,
      accessType: body.access_control?.access_type,
      minReplicas: body.min_replicas,
      maxReplicas: body.max_replicas,
      domains: body.domains,
      labels: body.labels,
      tags: body.tags,
      port: body.port,
    });
    // A repository change that builds takes the new port with it: one deployment, not two.
    const repo = await repoChange?.apply();
    if (repo?.deployed || portRollout) {
      if (!repo?.deployed) await portRollout?.();
      service.status = 'deploying';
    }
    return one(await this.views.one(service, origin, repo?.webhookSecret));
  }
}
