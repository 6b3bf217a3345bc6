import { Module } from '@nestjs/common';
import { DeploymentsModule } from '../deployments/deployments.module';
import { OperationsModule } from '../operations/operations.module';
import { RoutesModule } from '../routes/routes.module';
import { ServicesModule } from '../services/services.module';
import { Autoscaler } from './autoscaler';
import { ConcurrencyScaler } from './concurrency-scaler';
import { EdgeActivityReader } from './edge-activity';
import { ScaleToZero } from './scale-to-zero';
import { ScalingEventsController } from './scaling-events.controller';
import { WakeListener } from './wake-listener';

/** Scale to zero (sleep when idle, wake on a request) from the edges' view of traffic. */
@Module({
  imports: [ServicesModule, DeploymentsModule, OperationsModule, RoutesModule],
  controllers: [ScalingEventsController],
  providers: [EdgeActivityReader, ScaleToZero, ConcurrencyScaler, Autoscaler, WakeListener],
})
export class AutoscalingModule {}
