import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { IN_PROGRESS_DEPLOYMENT_STATUSES, type ServiceStatus } from '@slipway/contracts';
import { DataSource, type EntityManager, In } from 'typeorm';
import { Deployment } from './deployment.entity';
import { ServiceRoute } from '../routes/service-route.entity';
import { Service } from '../services/service.entity';

/**
 * A service's status follows from its deployments, its scale and its route: `deploying`
 * while one is in progress, `paused` when scaled to 0 by hand, `sleeping` when scaled to 0
 * because idle (with why its last wake failed, if it did), `running` while a deployment
 * serves (even after a newer one failed: the old one keeps serving), `failed` when the
 * latest failed and nothing serves. `waking` is set when a wake starts and ends here. `degraded` (serving with fewer ready instances than it
 * should have) needs the runtime's view and is settled when the status is read.
 */
@Injectable()
export class ServiceStatusUpdater {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Recomputes and stores the service's status. Given the transaction that changed a
   * deployment, the status commits with that change, so no reader sees one without the other.
   */
  async refresh(
    serviceId: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<ServiceStatus> {
    const deployments = manager.getRepository(Deployment);
    // One after the other: a transaction's queries share one connection.
    const service = await manager.getRepository(Service).findOne({ where: { id: serviceId } });
    const inProgress = await deployments.count({
      where: { serviceId, status: In([...IN_PROGRESS_DEPLOYMENT_STATUSES]) },
    });
    const route = await manager.getRepository(ServiceRoute).findOne({ where: { serviceId } });
    const latest = await deployments.findOne({
      where: { serviceId, status: In(['succeeded', 'build_failed', 'deployment_failed']) },
      order: { createdAt: 'DESC' },
    });
    let status: ServiceStatus = 'created';
    if (inProgress > 0) status = 'deploying';
    else if (service?.instances === 0) status = service.asleep ? 'sleeping' : 'paused';
    else if (route && route.endpoints.length > 0) status = 'running';
    else if (latest && latest.status !== 'succeeded') status = 'failed';
    let statusReason: string | null = null;
    if (status === 'failed') statusReason = latest?.failureReason ?? null;
    if (status === 'sleeping') statusReason = service?.wakeFailure ?? null;
    await manager.getRepository(Service).update({ id: serviceId }, { status, statusReason });
    return status;
  }

  /**
   * `running` and `degraded` from the runtime's count of ready instances of the live
   * deployment against the count it should have (`reason` says why it falls short); stored
   * so service reads show it too.
   */
  async settle(
    service: Service,
    observed: { available: number; desired: number; reason: string | null },
  ): Promise<ServiceStatus> {
    if (service.status !== 'running' && service.status !== 'degraded') return service.status;
    const status: ServiceStatus = observed.available < observed.desired ? 'degraded' : 'running';
    const statusReason = status === 'degraded' ? observed.reason : null;
    if (status !== service.status || statusReason !== service.statusReason) {
      // Only from the state it was read in: a deploy or scale that moved on meanwhile wins.
      await this.dataSource
        .getRepository(Service)
        .update({ id: service.id, status: service.status }, { status, statusReason });
    }
    return status;
  }
}
