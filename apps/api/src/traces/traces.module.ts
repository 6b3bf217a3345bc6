import { Module, type OnModuleInit } from '@nestjs/common';
import { DeploymentsModule } from '../deployments/deployments.module';
import { ServiceTeardown } from '../services/service-teardown';
import { ServicesModule } from '../services/services.module';
import { TokenRotationController } from './token-rotation.controller';
import { TokenRotationService } from './token-rotation.service';
import { TracesController } from './traces.controller';
import { TracesService } from './traces.service';

/** Reading the spans the collector stores, and the service tokens it checks. */
@Module({
  imports: [ServicesModule, DeploymentsModule],
  controllers: [TracesController, TokenRotationController],
  providers: [TracesService, TokenRotationService],
})
export class TracesModule implements OnModuleInit {
  constructor(
    private readonly teardown: ServiceTeardown,
    private readonly traces: TracesService,
  ) {}

  onModuleInit(): void {
    this.teardown.register('traces', (service) => this.traces.deleteSpansOf(service.id));
  }
}
