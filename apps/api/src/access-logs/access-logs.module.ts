import { Module, type OnModuleInit } from '@nestjs/common';
import { ServiceTeardown } from '../services/service-teardown';
import { ServicesModule } from '../services/services.module';
import { AccessLogsController } from './access-logs.controller';
import { AccessLogsService } from './access-logs.service';
import { AnalyticsController } from './analytics.controller';
import { AnalyticsService } from './analytics.service';

/**
 * Reading the access logs the edge writes, row by row and summed up as analytics; deleting a
 * service deletes them.
 */
@Module({
  imports: [ServicesModule],
  controllers: [AccessLogsController, AnalyticsController],
  providers: [AccessLogsService, AnalyticsService],
})
export class AccessLogsModule implements OnModuleInit {
  constructor(
    private readonly teardown: ServiceTeardown,
    private readonly accessLogs: AccessLogsService,
  ) {}

  onModuleInit(): void {
    this.teardown.register('access logs', (service) => this.accessLogs.deleteRowsOf(service.id));
  }
}
