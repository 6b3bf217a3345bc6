import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { APP_CONFIG } from '../config/config.module';
import { type AppConfig } from '../config/config.schema';
import { PeriodicTask } from '../common/scheduling/periodic-task';
import { ServiceStatusUpdater } from '../deployments/service-status';
import { Service } from '../services/service.entity';
import { InstancesService } from './instances.service';

/**
 * Keeps `running` and `degraded` true without anyone reading the status: every
 * `runtime.healthWatchSeconds` it compares each serving service's instances with what its
 * live deployment should have, so a crash-looping instance shows (with the reason) within
 * one interval, and its recovery too.
 */
@Injectable()
export class HealthWatch implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(HealthWatch.name);
  private readonly schedule = new PeriodicTask(
    'health watch pass',
    () => this.checkAll(),
    this.logger,
  );

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly instances: InstancesService,
    private readonly statuses: ServiceStatusUpdater,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.schedule.start(this.config.runtime.healthWatchSeconds * 1000);
  }

  onApplicationShutdown(): Promise<void> {
    return this.schedule.stop();
  }

  /** One pass over every service that serves (or should): settles each one's status. */
  async checkAll(): Promise<void> {
    const services = await this.dataSource
      .getRepository(Service)
      .find({ where: { status: In(['running', 'degraded']) } });
    for (const service of services) {
      try {
        await this.statuses.settle(service, await this.instances.observe(service));
      } catch (error) {
        this.logger.warn(`health of service ${service.id} unknown: ${(error as Error).message}`);
      }
    }
  }
}
