import { Module, type OnModuleInit } from '@nestjs/common';
import { DeploymentsModule } from '../deployments/deployments.module';
import { ServiceTeardown } from '../services/service-teardown';
import { ServicesModule } from '../services/services.module';
import { MetricsController } from './metrics.controller';
import { MetricsService } from './metrics.service';
import { UsageSampler } from './usage-sampler';

/** Per-service request metrics (the edge's rollups) and resource usage (sampled from the runtime). */
@Module({
  imports: [ServicesModule, DeploymentsModule],
  controllers: [MetricsController],
  providers: [MetricsService, UsageSampler],
})
export class MetricsModule implements OnModuleInit {
  constructor(
    private readonly teardown: ServiceTeardown,
    private readonly metrics: MetricsService,
  ) {}

  onModuleInit(): void {
    this.teardown.register('request metrics', (service) => this.metrics.deleteRowsOf(service.id));
  }
}
