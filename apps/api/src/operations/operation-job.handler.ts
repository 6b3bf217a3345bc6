import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type OperationJobPayload } from '@slipway/contracts';
import { DataSource } from 'typeorm';
import { APP_CONFIG } from '../config/config.module';
import { type AppConfig } from '../config/config.schema';
import { DeploymentsService } from '../deployments/deployments.service';
import { ServiceStatusUpdater } from '../deployments/service-status';
import { Retirements } from '../rollouts/retirements';
import { TrafficShift } from '../rollouts/traffic-shift';
import { HandlesServiceJob, type ServiceJobHandler } from '../rollouts/service-jobs';
import { acquireServiceLock, releaseServiceLock } from '../rollouts/service-lock';
import { RoutesService } from '../routes/routes.service';
import { RUNTIME_DRIVER, RolloutFailedError, type RuntimeDriver } from '../runtime/runtime-driver';
import { Service } from '../services/service.entity';
import { ServiceOperation } from './service-operation.entity';

/** A request that began just as an idle service went to sleep still gets this long. */
const IDLE_DRAIN_MS = 1000;

/**
 * Carries out an accepted scale or restart under the service's rollout lock: the runtime
 * change, then the route and the service status in one transaction (the edge hears after),
 * then the drain and stop of the instances that left. The operation ends last. A crash
 * anywhere leaves the job to run again (both are idempotent); a runtime failure ends it
 * `failed` with the reason and a scale's previous count restored.
 */
@Injectable()
@HandlesServiceJob('operation')
export class OperationJobHandler implements ServiceJobHandler<'operation'>, OnApplicationShutdown {
  private readonly logger = new Logger(OperationJobHandler.name);
  /** Aborts readiness waits at shutdown: the job fails this attempt and runs again later. */
  private readonly shutdown = new AbortController();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(RUNTIME_DRIVER) private readonly runtime: RuntimeDriver,
    private readonly deployments: DeploymentsService,
    private readonly routes: RoutesService,
    private readonly statuses: ServiceStatusUpdater,
    private readonly retirements: Retirements,
    private readonly traffic: TrafficShift,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationShutdown(): void {
    this.shutdown.abort();
  }

  async handle({ operationId, serviceId }: OperationJobPayload): Promise<void> {
    const stillRunning = async (): Promise<boolean> =>
      (await this.load(operationId))?.status === 'running';
    if (!(await stillRunning())) return;
    const lock = await acquireServiceLock(this.dataSource, serviceId, stillRunning);
    if (!lock) return;
    try {
      const operation = await this.load(operationId);
      if (operation?.status !== 'running') return;
      await this.carryOut(operation);
    } finally {
      await releaseServiceLock(lock, serviceId);
    }
  }

  async exhausted({ operationId }: OperationJobPayload, error: Error): Promise<void> {
    await this.fail(operationId, `internal error: ${error.message}`);
  }

  private async carryOut(operation: ServiceOperation): Promise<void> {
    const service = await this.dataSource
      .getRepository(Service)
      .findOneBy({ id: operation.serviceId });
    if (!service) return; // deleted: the operation went with it
    // A deployment that succeeded since the operation was accepted is the one acted on.
    const live = await this.deployments.current(service);
    const ref = await this.deployments.refOf(service);
    try {
      if (!live.image) throw new RolloutFailedError(`deployment ${live.id} has no image`);
      const spec = this.deployments.specOf(service, ref, { ...live, image: live.image });
      const options = {
        signal: this.shutdown.signal,
        readinessTimeoutMs: this.config.deploy.readinessTimeoutSeconds * 1000,
        onProgress: (message: string) =>
          this.logger.log(`${operation.kind} ${operation.id}: ${message}`),
        reroute: this.traffic.forService(service.id),
      };
      const result =
        operation.kind === 'scale'
          ? await this.runtime.scale({ ...spec, replicas: operation.instances }, options)
          : await this.runtime.restart(spec, options);
      const route = await this.dataSource.transaction(async (manager) => {
        const message = await this.routes.record(service.id, result.endpoints, live.id, manager);
        await this.statuses.refresh(service.id, manager);
        return message;
      });
      if (route) await this.routes.publish(route);
      // An idle service has nothing in flight to drain: it is asleep at once, and wakeable.
      const drainMs = operation.cause === 'idle' ? IDLE_DRAIN_MS : undefined;
      await this.retirements.now(service.id, result.retiring ?? [], drainMs);
      await this.dataSource
        .getRepository(ServiceOperation)
        .update(
          { id: operation.id, status: 'running' },
          { status: 'succeeded', endedAt: new Date() },
        );
    } catch (error) {
      if (!(error instanceof RolloutFailedError)) throw error;
      await this.fail(operation.id, error.reason);
    }
  }

  /**
   * Ends the operation failed; a scale's count goes back to what it was, in one commit. A
   * failed wake leaves the service asleep with the reason, and tells the edge, which answers
   * the requests it holds with it.
   */
  private async fail(operationId: string, reason: string): Promise<void> {
    const asleepAgain = await this.dataSource.transaction(async (manager) => {
      const operations = manager.getRepository(ServiceOperation);
      const operation = await operations.findOne({
        where: { id: operationId },
        lock: { mode: 'pessimistic_write' },
      });
      if (operation?.status !== 'running') return null;
      await operations.update(
        { id: operationId },
        { status: 'failed', failureReason: reason, endedAt: new Date() },
      );
      if (operation.kind === 'scale') {
        const wake = operation.cause === 'wake';
        await manager.getRepository(Service).update(
          { id: operation.serviceId },
          {
            instances: operation.previousInstances,
            asleep: wake,
            ...(wake && { wakeFailure: reason }),
          },
        );
      }
      await this.statuses.refresh(operation.serviceId, manager);
      return operation.cause === 'wake' ? operation.serviceId : null;
    });
    if (asleepAgain) await this.routes.republish(asleepAgain);
  }

  private load(operationId: string): Promise<ServiceOperation | null> {
    return this.dataSource.getRepository(ServiceOperation).findOneBy({ id: operationId });
  }
}
