import { Inject, Injectable, UseGuards, applyDecorators, type CanActivate } from '@nestjs/common';
import { ApiBearerAuth, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ErrorResponse } from '../common/http/api-responses';
import { ErrorCode } from '@slipway/contracts';
import { DomainError } from '../common/errors/domain-error';
import { APP_CONFIG } from '../config/config.module';
import { type AppConfig } from '../config/config.schema';

/** Service deployments ship disabled (`services.enabled: false`); this guard says how to turn them on. */
@Injectable()
export class ServicesEnabledGuard implements CanActivate {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  canActivate(): boolean {
    if (this.config.services.enabled) return true;
    throw new DomainError(
      ErrorCode.FeatureDisabled,
      'Service deployments are disabled on this Slipway installation. An operator can enable them by setting ' +
        'services.enabled: true in the API base config, or SLIPWAY_SERVICES_ENABLED=true, and restarting the API.',
    );
  }
}

/** A controller of service routes: PAT auth, the feature flag, and their docs. */
export function ServiceRoutes(tag: string): ClassDecorator {
  return applyDecorators(
    ApiTags(tag),
    ApiBearerAuth(),
    ApiResponse({
      status: 403,
      type: ErrorResponse,
      description: 'feature_disabled when services.enabled is false',
    }),
    UseGuards(ServicesEnabledGuard),
  );
}
