import { Inject, Injectable, type CanActivate } from '@nestjs/common';
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
