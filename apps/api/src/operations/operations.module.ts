import { Module } from '@nestjs/common';
import { DeploymentsModule } from '../deployments/deployments.module';
import { ServicesModule } from '../services/services.module';
import { OperationsController } from './operations.controller';
import { OperationsService } from './operations.service';

@Module({
  imports: [ServicesModule, DeploymentsModule],
  controllers: [OperationsController],
  providers: [OperationsService],
})
export class OperationsModule {}
