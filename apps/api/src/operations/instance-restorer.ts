import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { RUNTIME_DRIVER, type RuntimeDriver } from '../runtime/runtime-driver';
import { OperationsService } from './operations.service';

interface LiveService {
  readonly id: string;
  readonly created_by: string;
  readonly deployment_id: string;
}

/**
 * On the docker runtime, brings back services whose instances are gone altogether while the
 * database says they run: the local stack's janitor removes them when the stack stops (so
 * `docker compose down -v` leaves nothing), and an engine can lose them. At start, each such
 * service gets a restart through the one executor, which creates its instances again from
 * the live deployment. Paused services (0 instances) are left alone.
 */
@Injectable()
export class InstanceRestorer implements OnApplicationBootstrap {
  private readonly logger = new Logger(InstanceRestorer.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(RUNTIME_DRIVER) private readonly runtime: RuntimeDriver,
    private readonly operations: OperationsService,
  ) {}

  onApplicationBootstrap(): void {
    if (this.runtime.kind !== 'docker') return;
    // In the background: a slow engine must not hold up the API's start.
    void this.restore().catch((error: Error) =>
      this.logger.warn(`could not check for lost instances: ${error.message}`),
    );
  }

  /** One pass; answers the ids of the services it restarted. */
  async restore(): Promise<string[]> {
    const live = await this.dataSource.query<LiveService[]>(
      `SELECT s.id, s.created_by, r.deployment_id
         FROM services s JOIN service_routes r ON r.service_id = s.id
        WHERE r.deployment_id IS NOT NULL AND (s.instances IS NULL OR s.instances > 0)`,
    );
    if (live.length === 0) return [];
    const running = new Set(
      (await this.runtime.ownedInstances())
        .filter((instance) => instance.setAsideAt === null)
        .map((instance) => `${instance.serviceId}/${instance.deploymentId ?? ''}`),
    );
    const lost = live.filter((service) => !running.has(`${service.id}/${service.deployment_id}`));
    const restarted: string[] = [];
    for (const service of lost) {
      try {
        const operation = await this.operations.restart(service.created_by, service.id);
        this.logger.log(`service ${service.id} had no instances: restart ${operation.id} queued`);
        restarted.push(service.id);
      } catch (error) {
        this.logger.warn(
          `service ${service.id} has no instances and could not be restarted: ${(error as Error).message}`,
        );
      }
    }
    return restarted;
  }
}
