import { type Readable } from 'node:stream';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { IN_PROGRESS_DEPLOYMENT_STATUSES } from '@slipway/contracts';
import { DataSource, In } from 'typeorm';
import { DomainError } from '../common/errors/domain-error';
import { Deployment } from '../deployments/deployment.entity';
import { DeploymentsService } from '../deployments/deployments.service';
import { desiredInstances } from '../deployments/service-spec.factory';
import { ServiceStatusUpdater } from '../deployments/service-status';
import { ServiceOperation } from '../operations/service-operation.entity';
import { toOperationView } from '../operations/service-operation.view';
import { RoutesService } from '../routes/routes.service';
import {
  InstanceNotFoundError,
  RUNTIME_DRIVER,
  type Instance,
  type RuntimeDriver,
} from '../runtime/runtime-driver';
import { type Service } from '../services/service.entity';
import { ServicesService } from '../services/services.service';
import { type ServiceStatusView } from './instance.view';

export interface Observed {
  readonly desired: number;
  readonly total: number;
  readonly ready: number;
  readonly available: number;
  readonly live: string | null;
  /** Why fewer than `desired` are available, naming the instances; null when none are missing. */
  readonly reason: string | null;
}

/** `1 of 2 instances available; <name>: restarting after exit code 1`. */
export function shortfallReason(
  instances: readonly Instance[],
  live: string | null,
  available: number,
  desired: number,
): string | null {
  if (available >= desired) return null;
  const failing = instances
    .filter((instance) => instance.deploymentId === live && !instance.ready)
    .map((instance) => `${instance.name}: ${instance.message ?? instance.state}`);
  const summary = `${available} of ${desired} instances available`;
  return [summary, ...failing].join('; ').slice(0, 1000);
}

/** Log lines of history sent before following. */
export const LOG_TAIL_LINES = 1000;

/** A service's instances as the runtime reports them, its status, and instance logs. */
@Injectable()
export class InstancesService {
  constructor(
    private readonly services: ServicesService,
    private readonly deployments: DeploymentsService,
    private readonly routes: RoutesService,
    private readonly statuses: ServiceStatusUpdater,
    @Inject(RUNTIME_DRIVER) private readonly runtime: RuntimeDriver,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  async list(userId: string, serviceId: string): Promise<Instance[]> {
    const service = await this.services.get(userId, serviceId);
    return this.runtime.instances(await this.deployments.refOf(service));
  }

  async status(userId: string, serviceId: string): Promise<ServiceStatusView> {
    // The operation first: an operation ends only after the service's status is written,
    // so a finished one read here is never paired with the status from before it.
    const operation = await this.dataSource
      .getRepository(ServiceOperation)
      .findOne({ where: { serviceId }, order: { startedAt: 'DESC' } });
    const service = await this.services.get(userId, serviceId);
    const [observed, rollout] = await Promise.all([
      this.observe(service),
      this.dataSource.getRepository(Deployment).findOne({
        where: { serviceId, status: In([...IN_PROGRESS_DEPLOYMENT_STATUSES]) },
        order: { createdAt: 'DESC' },
      }),
    ]);
    const status = await this.statuses.settle(service, observed);
    return {
      service_id: service.id,
      status,
      reason: status === 'degraded' ? observed.reason : service.statusReason,
      desired: observed.desired,
      total: observed.total,
      ready: observed.ready,
      available: observed.available,
      rollout: rollout ? { deployment_id: rollout.id, status: rollout.status } : null,
      live_deployment_id: observed.live,
      operation: operation ? toOperationView(operation) : null,
    };
  }

  /** The service's instances against what its live deployment should have, and why not. */
  async observe(service: Service): Promise<Observed> {
    const [instances, route] = await Promise.all([
      this.runtime.instances(await this.deployments.refOf(service)),
      this.routes.find(service.id),
    ]);
    const serving = route?.deploymentId
      ? await this.dataSource
          .getRepository(Deployment)
          .findOne({ where: { id: route.deploymentId } })
      : null;
    const desired = serving ? desiredInstances(serving.settings, service.instances) : 0;
    const live = route && route.endpoints.length > 0 ? route.deploymentId : null;
    const ready = instances.filter((instance) => instance.ready);
    const available = live ? ready.filter((instance) => instance.deploymentId === live).length : 0;
    return {
      desired,
      total: instances.length,
      ready: ready.length,
      available,
      live,
      reason: shortfallReason(instances, live, available, desired),
    };
  }

  async logs(
    userId: string,
    serviceId: string,
    instance: string,
    follow: boolean,
    signal: AbortSignal,
  ): Promise<Readable> {
    const service = await this.services.get(userId, serviceId);
    try {
      return await this.runtime.logs(await this.deployments.refOf(service), instance, {
        tailLines: LOG_TAIL_LINES,
        follow,
        signal,
      });
    } catch (error) {
      if (error instanceof InstanceNotFoundError) throw DomainError.notFound('Pod', instance);
      throw error;
    }
  }
}
