import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  ErrorCode,
  IN_PROGRESS_DEPLOYMENT_STATUSES,
  type ServiceOperationCause,
  type ServiceOperationKind,
} from '@slipway/contracts';
import { DataSource, In, type EntityManager } from 'typeorm';
import { DomainError } from '../common/errors/domain-error';
import { type PageRequest } from '../common/http/pagination.dto';
import { DeployQueue } from '../deployments/deploy-queue';
import { serviceJobOptions } from '../queues/job-options';
import { Deployment } from '../deployments/deployment.entity';
import { DeploymentsService } from '../deployments/deployments.service';
import { desiredInstances } from '../deployments/service-spec.factory';
import { Service } from '../services/service.entity';
import { ServicesService } from '../services/services.service';
import { OPERATION_ATTEMPTS, operationJobId } from './operation-jobs';
import { ServiceOperation } from './service-operation.entity';

/** Who starts an operation: a user, or the platform for a reason it records. */
interface Actor {
  readonly userId: string | null;
  readonly cause: ServiceOperationCause;
  readonly reason: string | null;
}

/** The count to act on (in the transaction that records it), or null: nothing to do. */
export type DecideScale = (
  service: Service,
  live: Deployment,
  manager: EntityManager,
) => Promise<number | null>;

/**
 * Scaling and restarts: checked and recorded at once (202), then carried out by the deploy
 * queue's executor (`OperationJobHandler`) under the service's rollout lock, so they never
 * interleave with a rollout or with each other. A conflicting request is answered 409 with
 * what it conflicts with.
 */
@Injectable()
export class OperationsService {
  private readonly logger = new Logger(OperationsService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly services: ServicesService,
    private readonly deployments: DeploymentsService,
    private readonly queue: DeployQueue,
  ) {}

  async scale(userId: string, serviceId: string, instances: number): Promise<ServiceOperation> {
    const service = await this.services.get(userId, serviceId);
    const operation = await this.start(byUser(userId), service.id, 'scale', (locked, live) => {
      assertScalable(locked, live, instances);
      return Promise.resolve(instances);
    });
    return operation as ServiceOperation;
  }

  async restart(userId: string, serviceId: string): Promise<ServiceOperation> {
    const service = await this.services.get(userId, serviceId);
    const operation = await this.start(byUser(userId), service.id, 'restart', (locked, live) => {
      if (locked.instances === 0) {
        throw new DomainError(
          ErrorCode.Conflict,
          `Service ${locked.id} is paused: it has no instances to restart; scale it up instead`,
        );
      }
      return Promise.resolve(desiredInstances(live.settings, locked.instances));
    });
    return operation as ServiceOperation;
  }

  /** The service's scales, newest first: what `GET /v1/services/{id}/events` lists. */
  async listScales(
    userId: string,
    serviceId: string,
    request: PageRequest,
  ): Promise<[ServiceOperation[], number]> {
    await this.services.get(userId, serviceId);
    return this.dataSource.getRepository(ServiceOperation).findAndCount({
      where: { serviceId, kind: 'scale' },
      order: { startedAt: 'DESC', id: 'DESC' },
      skip: request.skip,
      take: request.perPage,
    });
  }

  /**
   * A scale the platform decided (`cause`, `reason`): null when `decide` finds it no longer
   * applies or a deployment or operation is in progress (the platform asks again later).
   */
  async scaleForPlatform(
    serviceId: string,
    cause: Exclude<ServiceOperationCause, 'user'>,
    reason: string,
    decide: DecideScale,
  ): Promise<ServiceOperation | null> {
    return this.start({ userId: null, cause, reason }, serviceId, 'scale', decide);
  }

  private async start(
    actor: Actor,
    serviceId: string,
    kind: ServiceOperationKind,
    decide: DecideScale,
  ): Promise<ServiceOperation | null> {
    const operation = await this.dataSource.transaction(async (manager) => {
      // The service row is locked so deploys and other operations agree on what runs.
      const locked = await this.services.lockRow(manager, serviceId);
      try {
        await this.assertNothingInProgress(manager, locked.id, kind);
      } catch (error) {
        if (actor.userId === null && error instanceof DomainError) return null;
        throw error;
      }
      return this.record(manager, actor, locked, kind, decide);
    });
    if (!operation) return null;
    try {
      await this.queue.add(
        'operation',
        { operationId: operation.id, serviceId: operation.serviceId },
        serviceJobOptions(operationJobId(operation.id), OPERATION_ATTEMPTS),
      );
    } catch (error) {
      const reason = `could not queue the ${kind}: ${(error as Error).message}`;
      this.logger.error(`operation ${operation.id}: ${reason}`);
      await this.dataSource.transaction(async (manager) => {
        await manager
          .getRepository(ServiceOperation)
          .update(
            { id: operation.id },
            { status: 'failed', failureReason: reason, endedAt: new Date() },
          );
        if (kind === 'scale') {
          await manager
            .getRepository(Service)
            .update({ id: operation.serviceId }, { instances: operation.previousInstances });
        }
      });
      throw new DomainError(
        ErrorCode.ServiceUnavailable,
        `The ${kind} could not be queued; try again shortly (${reason})`,
      );
    }
    return operation;
  }

  /** Records the operation, `running` until its job ends it, and a scale's new count. */
  private async record(
    manager: EntityManager,
    actor: Actor,
    service: Service,
    kind: ServiceOperationKind,
    decide: DecideScale,
  ): Promise<ServiceOperation | null> {
    const live = await this.deployments.current(service);
    const instances = await decide(service, live, manager);
    if (instances === null) return null;
    if (kind === 'scale') {
      // Resuming an autoscaled deployment hands the count back to its autoscaler; a scale
      // to 0 is asleep only when the platform found the service idle.
      const stored = live.settings.autoscaling && instances > 0 ? null : instances;
      await manager
        .getRepository(Service)
        .update({ id: service.id }, { instances: stored, asleep: actor.cause === 'idle' });
    }
    const operations = manager.getRepository(ServiceOperation);
    return operations.save(
      operations.create({
        serviceId: service.id,
        kind,
        deploymentId: live.id,
        instances,
        previousInstances: service.instances,
        status: 'running',
        failureReason: null,
        cause: actor.cause,
        reason: actor.reason,
        startedBy: actor.userId,
        endedAt: null,
      }),
    );
  }

  /**
   * 409 naming the operation or deployment in progress. An operation whose job is no longer
   * queued (Redis lost it) cannot end by itself: it is ended here, failed, and does not block.
   */
  private async assertNothingInProgress(
    manager: EntityManager,
    serviceId: string,
    kind: ServiceOperationKind,
  ): Promise<void> {
    const operations = manager.getRepository(ServiceOperation);
    const running = await operations.findOne({
      where: { serviceId, status: 'running' },
      order: { startedAt: 'DESC' },
    });
    if (running && (await this.queue.pending(operationJobId(running.id)))) {
      throw new DomainError(
        ErrorCode.Conflict,
        `A ${running.kind} of this service (operation ${running.id}, started ${running.startedAt.toISOString()}) is in progress; ${kind} it once that has finished`,
      );
    }
    if (running) {
      await operations.update(
        { id: running.id, status: 'running' },
        {
          status: 'failed',
          failureReason: 'lost: its job is no longer queued (was the queue store reset?)',
          endedAt: new Date(),
        },
      );
    }
    const rollout = await manager.getRepository(Deployment).findOne({
      where: { serviceId, status: In([...IN_PROGRESS_DEPLOYMENT_STATUSES]) },
    });
    if (rollout) {
      throw new DomainError(
        ErrorCode.Conflict,
        `Deployment ${rollout.id} is ${rollout.status}; ${kind} the service once it has finished`,
      );
    }
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

function byUser(userId: string): Actor {
  return { userId, cause: 'user', reason: null };
}
