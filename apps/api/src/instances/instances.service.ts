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
import { ServicesService } from '../services/services.service';
import { type ServiceStatusView } from './instance.view';

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
    const deployments = this.dataSource.getRepository(Deployment);
    const [instances, route, rollout] = await Promise.all([
      this.runtime.instances(await this.deployments.refOf(service)),
      this.routes.find(service.id),
      deployments.findOne({
        where: { serviceId, status: In([...IN_PROGRESS_DEPLOYMENT_STATUSES]) },
        order: { createdAt: 'DESC' },
      }),
    ]);
    const serving = route?.deploymentId
      ? await deployments.findOne({ where: { id: route.deploymentId } })
      : null;
    const desired = serving ? desiredInstances(serving.settings, service.instances) : 0;
    const live = route && route.endpoints.length > 0 ? route.deploymentId : null;
    const ready = instances.filter((instance) => instance.ready);
    const available = live ? ready.filter((instance) => instance.deploymentId === live).length : 0;
    return {
      service_id: service.id,
      status: await this.statuses.settle(service, available, desired),
      desired,
      total: instances.length,
      ready: ready.length,
      available,
      rollout: rollout ? { deployment_id: rollout.id, status: rollout.status } : null,
      live_deployment_id: live,
      operation: operation ? toOperationView(operation) : null,
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
