import { Body, Controller, HttpCode, Post, Put } from '@nestjs/common';
import { ApiOperation, ApiProperty, ApiResponse } from '@nestjs/swagger';
import { type DataEnvelope } from '@slipway/contracts';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsDefined, IsUUID, ValidateNested } from 'class-validator';
import { CurrentPrincipal } from '../auth/decorators';
import { type Principal } from '../auth/principal';
import { ApiDataResponse, ErrorResponse } from '../common/http/api-responses';
import { one } from '../common/http/envelope';
import { UuidParam } from '../common/validation/uuid-param.pipe';
import { Idempotent } from '../idempotency/idempotent.decorator';
import { ServiceRoutes } from '../services/services-enabled.guard';
import { EnvVarDto } from './deploy.dto';
import { DeploymentView, toDeploymentView } from './deployment.view';
import { RelaunchService } from './relaunch.service';

export class RollbackDto {
  @ApiProperty({ format: 'uuid', description: 'The earlier deployment to restore' })
  @IsUUID('all', { message: 'must be a UUID' })
  @IsDefined({ message: 'is required' })
  deployment_id!: string;
}

export class ReplaceEnvDto {
  @ApiProperty({ type: [EnvVarDto], description: 'The whole new env set' })
  @ValidateNested({ each: true })
  @Type(() => EnvVarDto)
  @ArrayMaxSize(500, { message: 'must hold at most 500 variables' })
  @IsArray({ message: 'must be an array of {name, value, secret}' })
  @IsDefined({ message: 'is required' })
  env!: EnvVarDto[];
}

const NOTHING_TO_RESTORE = {
  status: 409,
  type: ErrorResponse,
  description: 'No deployment to start from, or its image is gone',
};

@ServiceRoutes('deployments')
@Controller('v1/services')
export class RelaunchController {
  constructor(private readonly operations: RelaunchService) {}

  @Post(':id/redeploy')
  @HttpCode(200)
  @Idempotent()
  @ApiOperation({
    summary: 'Deploy the current image and settings again (a source deployment is rebuilt)',
  })
  @ApiDataResponse(DeploymentView, 'The new deployment')
  @ApiResponse(NOTHING_TO_RESTORE)
  async redeploy(
    @CurrentPrincipal() principal: Principal,
    @UuidParam('id') id: string,
  ): Promise<DataEnvelope<DeploymentView>> {
    return one(toDeploymentView(await this.operations.redeploy(principal.userId, id)));
  }

  @Post(':id/rollback')
  @HttpCode(200)
  @Idempotent()
  @ApiOperation({
    summary:
      'Restore an earlier deployment: its image digest and its whole configuration (env, secrets, resources, settings)',
  })
  @ApiDataResponse(DeploymentView, 'The new deployment')
  @ApiResponse(NOTHING_TO_RESTORE)
  async rollback(
    @CurrentPrincipal() principal: Principal,
    @UuidParam('id') id: string,
    @Body() body: RollbackDto,
  ): Promise<DataEnvelope<DeploymentView>> {
    return one(
      toDeploymentView(await this.operations.rollback(principal.userId, id, body.deployment_id)),
    );
  }

  @Put(':id/env')
  @ApiOperation({
    summary: 'Replace the env set and roll it out; old instances serve until new ones are ready',
  })
  @ApiDataResponse(DeploymentView, 'The new deployment')
  @ApiResponse(NOTHING_TO_RESTORE)
  async replaceEnv(
    @CurrentPrincipal() principal: Principal,
    @UuidParam('id') id: string,
    @Body() body: ReplaceEnvDto,
  ): Promise<DataEnvelope<DeploymentView>> {
    return one(toDeploymentView(await this.operations.replaceEnv(principal.userId, id, body.env)));
  }
}
