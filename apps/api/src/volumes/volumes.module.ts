import { Module } from '@nestjs/common';
import { DeploymentsModule } from '../deployments/deployments.module';
import { ServicesModule } from '../services/services.module';
import { VolumesController } from './volumes.controller';

@Module({
  imports: [ServicesModule, DeploymentsModule],
  controllers: [VolumesController],
})
export class VolumesModule {}
