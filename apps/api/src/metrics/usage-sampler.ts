import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { PeriodicTask } from '../common/scheduling/periodic-task';
import { APP_CONFIG } from '../config/config.module';
import { type AppConfig } from '../config/config.schema';
import { DeploymentsService } from '../deployments/deployments.service';
import {
  RUNTIME_DRIVER,
  type RuntimeDriver,
  UsageUnavailableError,
} from '../runtime/runtime-driver';
import { Service } from '../services/service.entity';

/** Services read from the runtime at once: stats reads wait about a second each. */
const PARALLEL_READS = 4;

/**
 * Gives the Metrics' CPU and memory a history: every `runtime.usageSampleSeconds` it reads
 * each serving service's usage from the runtime and keeps it in `usage_samples`, and drops
 * samples older than `runtime.usageRetentionDays`. A sample is keyed by the start of its
 * interval, so several API replicas sampling at once store one row per service.
 */
@Injectable()
export class UsageSampler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(UsageSampler.name);
  private readonly schedule = new PeriodicTask('usage sample', () => this.sampleAll(), this.logger);
  /** Logged once: a cluster without the metrics API says so on every read. */
  private unavailableLogged = false;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly deployments: DeploymentsService,
    @Inject(RUNTIME_DRIVER) private readonly runtime: RuntimeDriver,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.schedule.start(this.config.runtime.usageSampleSeconds * 1000);
  }

  onApplicationShutdown(): Promise<void> {
    return this.schedule.stop();
  }

  /** One pass: a sample of every running or degraded service, then the retention cut. */
  async sampleAll(): Promise<void> {
    const services = await this.dataSource
      .getRepository(Service)
      .find({ where: { status: In(['running', 'degraded']) } });
    for (let i = 0; i < services.length; i += PARALLEL_READS) {
      await Promise.all(services.slice(i, i + PARALLEL_READS).map((one) => this.sample(one)));
    }
    await this.dataSource.query(
      `DELETE FROM usage_samples WHERE sampled_at < now() - make_interval(days => $1)`,
      [this.config.runtime.usageRetentionDays],
    );
  }

  private async sample(service: Service): Promise<void> {
    try {
      const usage = await this.runtime.usage(await this.deployments.refOf(service));
      await this.dataSource.query(
        `INSERT INTO usage_samples (service_id, sampled_at, cpu_cores, memory_bytes)
         VALUES ($1, date_bin(make_interval(secs => $2), now(), 'epoch'), $3, $4)
         ON CONFLICT DO NOTHING`,
        [
          service.id,
          this.config.runtime.usageSampleSeconds,
          usage.cpuCores,
          Math.round(usage.memoryBytes),
        ],
      );
    } catch (error) {
      if (error instanceof UsageUnavailableError) {
        if (!this.unavailableLogged) this.logger.log(`no usage history: ${error.message}`);
        this.unavailableLogged = true;
        return;
      }
      this.logger.warn(`usage of service ${service.id} not sampled: ${(error as Error).message}`);
    }
  }
}
