import { setTimeout as sleep } from 'node:timers/promises';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type RetireJobPayload } from '@slipway/contracts';
import { DataSource } from 'typeorm';
import { APP_CONFIG } from '../config/config.module';
import { type AppConfig } from '../config/config.schema';
import { DeployQueue } from '../deployments/deploy-queue';
import { serviceJobOptions } from '../queues/job-options';
import { DeploymentsService } from '../deployments/deployments.service';
import { RUNTIME_DRIVER, type RuntimeDriver } from '../runtime/runtime-driver';
import { Service } from '../services/service.entity';
import { HandlesServiceJob, type ServiceJobHandler } from './service-jobs';

/** Retiring is idempotent and cheap: a few tries outlast an engine hiccup. */
const RETIRE_ATTEMPTS = 5;

/**
 * Instances a change took out of the route drain for `runtime.drainSeconds`, then stop.
 * After a deployment this is a delayed `retire` job, so the deployment is done as soon as
 * the new version serves and the cleanup survives restarts; an operation waits for it
 * under the service's lock, so a pause has stopped its instances when it ends.
 */
@Injectable()
@HandlesServiceJob('retire')
export class Retirements implements ServiceJobHandler<'retire'> {
  private readonly logger = new Logger(Retirements.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(RUNTIME_DRIVER) private readonly runtime: RuntimeDriver,
    private readonly deployments: DeploymentsService,
    private readonly queue: DeployQueue,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Queues the retirement of `instances` after the drain. A failure to queue is logged, not
   * thrown: the route already moved, and the reaper removes what no deployment owns.
   */
  async later(serviceId: string, instances: readonly string[], key: string): Promise<void> {
    if (instances.length === 0) return;
    const payload = { serviceId, instances: [...instances] };
    const options = serviceJobOptions(`retire-${key}`, RETIRE_ATTEMPTS, this.drainMs());
    await this.queue.add('retire', payload, options).catch((error: unknown) => {
      this.logger.warn(
        `retiring ${instances.length} instance(s) of ${serviceId} not queued: ${(error as Error).message}`,
      );
    });
  }

  /**
   * Waits out the drain (`drainMs`, else `runtime.drainSeconds`), then retires `instances`
   * (the caller holds the service's lock).
   */
  async now(serviceId: string, instances: readonly string[], drainMs?: number): Promise<void> {
    if (instances.length === 0) return;
    await sleep(Math.min(drainMs ?? this.drainMs(), this.drainMs()));
    await this.handle({ serviceId, instances: [...instances] });
  }

  async handle(payload: RetireJobPayload): Promise<void> {
    const service = await this.dataSource
      .getRepository(Service)
      .findOne({ where: { id: payload.serviceId } });
    if (!service) return; // deleting the service removed its instances
    await this.runtime.retire(await this.deployments.refOf(service), payload.instances);
  }

  private drainMs(): number {
    return this.config.runtime.drainSeconds * 1000;
  }
}
