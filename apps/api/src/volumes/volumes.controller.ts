import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { type ListEnvelope } from '@slipway/contracts';
import { CurrentPrincipal } from '../auth/decorators';
import { type Principal } from '../auth/principal';
import { ApiListResponse } from '../common/http/api-responses';
import { page } from '../common/http/envelope';
import { UuidParam } from '../common/validation/uuid-param.pipe';
import { DeploymentsService } from '../deployments/deployments.service';
import { RUNTIME_DRIVER, type RuntimeDriver } from '../runtime/runtime-driver';
import { ServiceRoutes } from '../services/services-enabled.guard';
import { ServicesService } from '../services/services.service';
import { toVolumeView, VolumeView } from './volume.view';

@ServiceRoutes('volumes')
@Controller('v1/services')
export class VolumesController {
  constructor(
    private readonly services: ServicesService,
    private readonly deployments: DeploymentsService,
    @Inject(RUNTIME_DRIVER) private readonly runtime: RuntimeDriver,
  ) {}

  @Get(':id/volumes')
  @ApiOperation({
    summary:
      "A stateful service's volumes: one per declared volume and instance ordinal, kept when it scales down",
  })
  @ApiListResponse(VolumeView)
  async list(
    @CurrentPrincipal() principal: Principal,
    @UuidParam('id') id: string,
  ): Promise<ListEnvelope<VolumeView>> {
    const service = await this.services.get(principal.userId, id);
    const volumes = await this.runtime.volumes(await this.deployments.refOf(service));
    return page(volumes.map(toVolumeView), volumes.length, 1, Math.max(1, volumes.length));
  }
}
