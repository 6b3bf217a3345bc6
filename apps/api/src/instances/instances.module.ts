import { Module } from '@nestjs/common';
import { DeploymentsModule } from '../deployments/deployments.module';
import { ServicesModule } from '../services/services.module';
import { HealthWatch } from './health-watch';
import { InstancesController } from './instances.controller';
import { InstancesService } from './instances.service';
import { ServiceLogsController } from './service-logs.controller';
import { ServiceLogsService } from './service-logs.service';

@Module({
  imports: [ServicesModule, DeploymentsModule],
  controllers: [InstancesController, ServiceLogsController],
  providers: [InstancesService, ServiceLogsService, HealthWatch],
})
export class InstancesModule {}
