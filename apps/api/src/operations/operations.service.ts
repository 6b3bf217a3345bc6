import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  ErrorCode,
  IN_PROGRESS_DEPLOYMENT_STATUSES,
  type ServiceOperationKind,
} from '@slipway/contracts';
import { DataSource, In, type QueryRunner } from 'typeorm';
import { DomainError } from '../common/errors/domain-error';
import { APP_CONFIG } from '../config/config.module';
import { type AppConfig } from '../config/config.schema';
import { Deployment } from '../deployments/deployment.entity';
import { DeploymentsService } from '../deployments/deployments.service';
import { ServiceStatusUpdater } from '../deployments/service-status';
import { desiredInstances } from '../deployments/service-spec.factory';
import { acquireServiceLock, releaseServiceLock } from '../rollouts/service-lock';
import { RoutesService } from '../routes/routes.service';
import {
  RUNTIME_DRIVER,
  RolloutCancelledError,
  RolloutFailedError,
  type RuntimeDriver,
} from '../runtime/runtime-driver';
import { Service } from '../services/service.entity';
import { ServicesService } from '../services/services.service';
import { ServiceOperation } from './service-operation.entity';

/** What a scale or restart acts on, fixed when it is accepted. */
interface Accepted {
  readonly operation: ServiceOperation;
  readonly live: Deployment;
  /** `services.instances` before a scale, restored when it fails. */
  readonly previousInstances: number | null;
}

/**
 * Scaling and rolling restarts: accepted at once (202) and carried out in the background
 * while holding the service's rollout lock, so they never interleave with a rollout or
 * with each other. A conflicting request is answered 409 with what it conflicts with.
 */
@Injectable()
export class OperationsService implements OnApplicationShutdown {
  private readonly logger = new Logger(OperationsService.name);
  private readonly inFlight = new Set<Promise<void>>();
  private readonly shutdown = new AbortController();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly services: ServicesService,
    private readonly deployments: DeploymentsService,
    private readonly routes: RoutesService,
    private readonly statuses: ServiceStatusUpdater,
    @Inject(RUNTIME_DRIVER) private readonly runtime: RuntimeDriver,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async scale(userId: string, serviceId: string, instances: number): Promise<ServiceOperation> {
    return this.start(userId, serviceId, 'scale', (service, live) => {
      assertScalable(service, live, instances);
      return instances;
    });
  }

  async restart(userId: string, serviceId: string): Promise<ServiceOperation> {
    return this.start(userId, serviceId, 'restart', (service, live) => {
      if (service.instances === 0) {
        throw new DomainError(
          ErrorCode.Conflict,
          `Service ${service.id} is paused: it has no instances to restart; scale it up instead`,
        );
      }
      return desiredInstances(live.settings, service.instances);
    });
  }

  async onApplicationShutdown(): Promise<void> {
    this.shutdown.abort();
    await Promise.allSettled([...this.inFlight]);
  }

  private async start(
    userId: string,
    serviceId: string,
    kind: ServiceOperationKind,
    decide: (service: Service, live: Deployment) => number,
  ): Promise<ServiceOperation> {
    const service = await this.services.get(userId, serviceId);
    const lock = await acquireServiceLock(this.dataSource, service.id, () =>
      Promise.resolve(false),
    );
    if (!lock) throw new DomainError(ErrorCode.Conflict, await this.busyReason(service.id, kind));
    let accepted: Accepted;
    try {
      accepted = await this.accept(userId, service.id, kind, decide);
    } catch (error) {
      await releaseServiceLock(lock, service.id);
      throw error;
    }
    const run = this.execute(accepted, lock).finally(() => this.inFlight.delete(run));
    this.inFlight.add(run);
    return accepted.operation;
  }

  /** Checks and records the operation; the service row is locked so deploys agree on it. */
  private async accept(
    userId: string,
    serviceId: string,
    kind: ServiceOperationKind,
    decide: (service: Service, live: Deployment) => number,
  ): Promise<Accepted> {
    return this.dataSource.transaction(async (manager) => {
      const service = await this.services.lockRow(manager, serviceId);
      const operations = manager.getRepository(ServiceOperation);
      // Holding the lock means nothing else runs: a `running` row is from a process that died.
      await operations.update(
        { serviceId, status: 'running' },
        {
          status: 'failed',
          failureReason: 'interrupted: the API process carrying it out stopped',
          endedAt: new Date(),
        },
      );
      const rollout = await manager.getRepository(Deployment).findOne({
        where: { serviceId, status: In([...IN_PROGRESS_DEPLOYMENT_STATUSES]) },
      });
      if (rollout) {
        throw new DomainError(
          ErrorCode.Conflict,
          `Deployment ${rollout.id} is ${rollout.status}; ${kind} the service once it has finished`,
        );
      }
      const live = await this.deployments.current(service);
      const instances = decide(service, live);
      const previousInstances = service.instances;
      if (kind === 'scale') {
        // Resuming an autoscaled deployment hands the count back to its autoscaler.
        const stored = live.settings.autoscaling && instances > 0 ? null : instances;
        await manager.getRepository(Service).update({ id: serviceId }, { instances: stored });
      }
      const operation = await operations.save(
        operations.create({
          serviceId,
          kind,
          deploymentId: live.id,
          instances,
          status: 'running',
          failureReason: null,
          startedBy: userId,
          endedAt: null,
        }),
      );
      return { operation, live, previousInstances };
    });
  }

  private async execute(accepted: Accepted, lock: QueryRunner): Promise<void> {
    const { operation, live } = accepted;
    const { serviceId } = operation;
    try {
      const service = await this.dataSource
        .getRepository(Service)
        .findOneByOrFail({ id: serviceId });
      if (!live.image) throw new RolloutFailedError(`deployment ${live.id} has no image`);
      const spec = this.deployments.specOf(service, await this.deployments.refOf(service), {
        ...live,
        image: live.image,
      });
      const options = {
        signal: this.shutdown.signal,
        readinessTimeoutMs: this.config.deploy.readinessTimeoutSeconds * 1000,
        onProgress: (message: string) =>
          this.logger.log(`${operation.kind} ${operation.id}: ${message}`),
      };
      const result =
        operation.kind === 'scale'
          ? await this.runtime.scale({ ...spec, replicas: operation.instances }, options)
          : await this.runtime.restart(spec, options);
      await this.routes.switchTo(serviceId, result.endpoints, live.id);
      // The status settles before the operation reads as ended, so whoever polls sees both.
      await this.statuses.refresh(serviceId);
      await this.end(operation, 'succeeded', null);
    } catch (error) {
      const reason = failureReasonOf(error);
      if (!(error instanceof RolloutFailedError || error instanceof RolloutCancelledError)) {
        this.logger.error(`${operation.kind} ${operation.id} failed`, error);
      }
      if (operation.kind === 'scale') {
        await this.dataSource
          .getRepository(Service)
          .update({ id: serviceId }, { instances: accepted.previousInstances })
          .catch(() => undefined);
      }
      await this.statuses.refresh(serviceId).catch(() => undefined);
      await this.end(operation, 'failed', reason).catch(() => undefined);
    } finally {
      await releaseServiceLock(lock, serviceId).catch(() => undefined);
    }
  }

  private async end(
    operation: ServiceOperation,
    status: 'succeeded' | 'failed',
    failureReason: string | null,
  ): Promise<void> {
    await this.dataSource
      .getRepository(ServiceOperation)
      .update({ id: operation.id }, { status, failureReason, endedAt: new Date() });
  }

  /** Why the rollout lock is taken: an operation or a deployment, named. */
  private async busyReason(serviceId: string, kind: ServiceOperationKind): Promise<string> {
    const running = await this.dataSource
      .getRepository(ServiceOperation)
      .findOne({ where: { serviceId, status: 'running' }, order: { startedAt: 'DESC' } });
    if (running) {
      return `A ${running.kind} of this service (operation ${running.id}, started ${running.startedAt.toISOString()}) is in progress; ${kind} it once that has finished`;
    }
    const rollout = await this.dataSource.getRepository(Deployment).findOne({
      where: { serviceId, status: In([...IN_PROGRESS_DEPLOYMENT_STATUSES]) },
    });
    if (rollout) {
      return `Deployment ${rollout.id} is ${rollout.status}; ${kind} the service once it has finished`;
    }
    return `Another change to this service is in progress; ${kind} it once that has finished`;
  }
}

/** A scale request the service's settings allow; 0 (pause) always is. */
function assertScalable(service: Service, live: Deployment, instances: number): void {
  if (instances === 0) return;
  const autoscaling = live.settings.autoscaling;
  if (autoscaling && service.instances === 0) {
    if (instances < Math.max(1, autoscaling.minReplicas) || instances > autoscaling.maxReplicas) {
      throw new DomainError(
        ErrorCode.Conflict,
        `Deployment ${live.id} autoscales between ${autoscaling.minReplicas} and ${autoscaling.maxReplicas} instances; resume it with a count within`,
      );
    }
    return;
  }
  if (autoscaling) {
    throw new DomainError(
      ErrorCode.Conflict,
      `Deployment ${live.id} autoscales between ${autoscaling.minReplicas} and ${autoscaling.maxReplicas} instances, so its count is not set by hand; 0 pauses it, or deploy with fixed replicas`,
    );
  }
  const { minReplicas: min, maxReplicas: max } = service;
  if ((min !== null && instances < min) || (max !== null && instances > max)) {
    throw new DomainError(
      ErrorCode.Conflict,
      `instances ${instances} is outside the service's bounds (min_replicas ${min ?? 0}, max_replicas ${max ?? 'unbounded'}); change them with PUT /v1/services/${service.id} or pick a count within`,
    );
  }
}

function failureReasonOf(error: unknown): string {
  if (error instanceof RolloutFailedError) return error.reason;
  if (error instanceof RolloutCancelledError) return 'interrupted: the API shut down';
  return `internal error: ${error instanceof Error ? error.message : String(error)}`;
}
