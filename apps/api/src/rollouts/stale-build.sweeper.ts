import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { APP_CONFIG } from '../config/config.module';
import { type AppConfig } from '../config/config.schema';
import { PeriodicTask } from '../common/scheduling/periodic-task';
import { DeployQueue } from '../deployments/deploy-queue';
import { ServiceStatusUpdater } from '../deployments/service-status';

/**
 * The last guard against a deployment left `building` forever: a dead builder's job is
 * retried or failed by the queue, but with no builder running at all nothing would ever
 * end it. Builds older than the deadline end `build_failed`, saying why.
 */
@Injectable()
export class StaleBuildSweeper implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(StaleBuildSweeper.name);
  private readonly schedule = new PeriodicTask('build sweep', () => this.sweep(), this.logger);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly queue: DeployQueue,
    private readonly statuses: ServiceStatusUpdater,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    const deadlineMs = this.config.deploy.buildDeadlineSeconds * 1000;
    const every = Math.min(60_000, Math.max(500, deadlineMs / 4));
    this.schedule.start(every);
  }

  onModuleDestroy(): Promise<void> {
    return this.schedule.stop();
  }

  async sweep(): Promise<void> {
    const minutes = Math.round(this.config.deploy.buildDeadlineSeconds / 60);
    const reason =
      `the build did not finish within ${this.config.deploy.buildDeadlineSeconds} s` +
      `${minutes > 0 ? ` (about ${minutes} min)` : ''}: is a builder running and connected to the same Redis and queue prefix?`;
    // The services' statuses commit with their deployments' ends: a reader never sees a
    // build_failed deployment under a service still `deploying`.
    const ended = await this.dataSource.transaction(async (manager) => {
      // UPDATE … RETURNING answers [rows, affected count].
      const [rows] = await manager.query<[{ id: string; service_id: string }[], number]>(
        `UPDATE deployments
            SET status = 'build_failed', ended_at = now(), failure_reason = $2, build_token_hash = NULL
          WHERE status = 'building' AND started_at < now() - make_interval(secs => $1)
          RETURNING id, service_id`,
        [this.config.deploy.buildDeadlineSeconds, reason],
      );
      for (const serviceId of new Set(rows.map((row) => row.service_id))) {
        await this.statuses.refresh(serviceId, manager);
      }
      return rows;
    });
    for (const row of ended) {
      this.logger.warn(`deployment ${row.id}: ${reason}`);
      await this.queue.discard(row.id);
    }
  }
}
