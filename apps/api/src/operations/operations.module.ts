import { Module } from '@nestjs/common';
import { DeploymentsModule } from '../deployments/deployments.module';
import { RolloutsModule } from '../rollouts/rollouts.module';
import { ServicesModule } from '../services/services.module';
import { InstanceRestorer } from './instance-restorer';
import { OperationJobHandler } from './operation-job.handler';
import { OperationsController } from './operations.controller';
import { OperationsService } from './operations.service';

@Module({
  imports: [ServicesModule, DeploymentsModule, RolloutsModule],
  controllers: [OperationsController],
  providers: [OperationsService, OperationJobHandler, InstanceRestorer],
  exports: [OperationsService],
})
export class OperationsModule {}
