import { Controller, HttpCode, Post } from '@nestjs/common';
import { ApiOperation, ApiResponse } from '@nestjs/swagger';
import { type DataEnvelope } from '@slipway/contracts';
import { CurrentPrincipal } from '../auth/decorators';
import { type Principal } from '../auth/principal';
import { ApiDataResponse, ErrorResponse } from '../common/http/api-responses';
import { one } from '../common/http/envelope';
import { UuidParam } from '../common/validation/uuid-param.pipe';
import { ServiceRoutes } from '../services/services-enabled.guard';
import { TokenRotationService } from './token-rotation.service';
import { ServiceTokenRotationView } from './trace.view';

@ServiceRoutes('services')
@Controller('v1/services')
export class TokenRotationController {
  constructor(private readonly rotation: TokenRotationService) {}

  @Post(':id/token/rotate')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Replace the service token its instances report traces with',
    description:
      'The old token keeps working for SLIPWAY_SERVICE_TOKEN_GRACE_SECONDS (default 600). When ' +
      'a deployment is live and the service is not paused, it is deployed again (trigger ' +
      '`token_rotation`, same image and settings) so the instances get the new token. The ' +
      'token itself is never returned: only containers receive it.',
  })
  @ApiDataResponse(ServiceTokenRotationView)
  @ApiResponse({
    status: 409,
    type: ErrorResponse,
    description: 'A deployment is in progress; rotate once it has ended',
  })
  async rotate(
    @CurrentPrincipal() principal: Principal,
    @UuidParam('id') id: string,
  ): Promise<DataEnvelope<ServiceTokenRotationView>> {
    return one(await this.rotation.rotate(principal.userId, id));
  }
}
