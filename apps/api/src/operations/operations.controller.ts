import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiOperation, ApiProperty, ApiResponse } from '@nestjs/swagger';
import { type DataEnvelope } from '@slipway/contracts';
import { MAX_REPLICAS } from '@slipway/k8s-spec';
import { IsDefined, IsInt, Max, Min } from 'class-validator';
import { CurrentPrincipal } from '../auth/decorators';
import { type Principal } from '../auth/principal';
import { ApiDataResponse, ErrorResponse } from '../common/http/api-responses';
import { one } from '../common/http/envelope';
import { UuidParam } from '../common/validation/uuid-param.pipe';
import { Idempotent } from '../idempotency/idempotent.decorator';
import { ServiceRoutes } from '../services/services-enabled.guard';
import { OperationsService } from './operations.service';
import { ServiceOperationView, toOperationView } from './service-operation.view';

export class ScaleDto {
  @ApiProperty({
    minimum: 0,
    maximum: MAX_REPLICAS,
    description: 'Instances to run; 0 pauses the service without deleting anything',
  })
  @Max(MAX_REPLICAS, { message: `must be at most ${MAX_REPLICAS}` })
  @Min(0, { message: 'must be at least 0 (0 pauses the service)' })
  @IsInt({ message: 'must be an integer' })
  @IsDefined({ message: 'is required' })
  instances!: number;
}

const BUSY = {
  status: 409,
  type: ErrorResponse,
  description:
    'A deployment or another operation is in progress, nothing is deployed yet, or the count is outside the bounds',
};

@ServiceRoutes('instances')
@Controller('v1/services')
export class OperationsController {
  constructor(private readonly operations: OperationsService) {}

  @Post(':id/scale')
  @HttpCode(202)
  @Idempotent()
  @ApiOperation({
    summary:
      'Set the number of instances (0 pauses); new ones pass readiness before receiving traffic',
    description: 'Accepted at once; GET /v1/services/{id}/status shows progress and outcome.',
  })
  @ApiDataResponse(ServiceOperationView, 'The operation, accepted', 202)
  @ApiResponse(BUSY)
  async scale(
    @CurrentPrincipal() principal: Principal,
    @UuidParam('id') id: string,
    @Body() body: ScaleDto,
  ): Promise<DataEnvelope<ServiceOperationView>> {
    return one(toOperationView(await this.operations.scale(principal.userId, id, body.instances)));
  }

  @Post(':id/restart')
  @HttpCode(202)
  @Idempotent()
  @ApiOperation({
    summary:
      'Rolling restart: every instance replaced, each replacement ready before the instance it replaces leaves',
    description: 'Accepted at once; GET /v1/services/{id}/status shows progress and outcome.',
  })
  @ApiDataResponse(ServiceOperationView, 'The operation, accepted', 202)
  @ApiResponse(BUSY)
  async restart(
    @CurrentPrincipal() principal: Principal,
    @UuidParam('id') id: string,
  ): Promise<DataEnvelope<ServiceOperationView>> {
    return one(toOperationView(await this.operations.restart(principal.userId, id)));
  }
}
