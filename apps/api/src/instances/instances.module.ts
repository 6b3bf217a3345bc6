import { Module } from '@nestjs/common';
import { DeploymentsModule } from '../deployments/deployments.module';
import { ServicesModule } from '../services/services.module';
import { InstancesController } from './instances.controller';
import { InstancesService } from './instances.service';

@Module({
  imports: [ServicesModule, DeploymentsModule],
  controllers: [InstancesController],
  providers: [InstancesService],
})
export class InstancesModule {}
