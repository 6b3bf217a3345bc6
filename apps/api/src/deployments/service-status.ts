import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { IN_PROGRESS_DEPLOYMENT_STATUSES, type ServiceStatus } from '@slipway/contracts';
import { DataSource, In } from 'typeorm';
import { Deployment } from './deployment.entity';
import { ServiceRoute } from '../routes/service-route.entity';
import { Service } from '../services/service.entity';

/**
 * A service's status follows from its deployments and its route: `deploying` while one is
 * in progress, `running` while a deployment serves (even after a newer one failed: the
 * old one keeps serving), `failed` when the latest failed and nothing serves.
 */
@Injectable()
export class ServiceStatusUpdater {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async refresh(serviceId: string): Promise<ServiceStatus> {
    const deployments = this.dataSource.getRepository(Deployment);
    const [inProgress, route, latest] = await Promise.all([
      deployments.count({
        where: { serviceId, status: In([...IN_PROGRESS_DEPLOYMENT_STATUSES]) },
      }),
      this.dataSource.getRepository(ServiceRoute).findOne({ where: { serviceId } }),
      deployments.findOne({
        where: { serviceId, status: In(['succeeded', 'build_failed', 'deployment_failed']) },
        order: { createdAt: 'DESC' },
      }),
    ]);
    let status: ServiceStatus = 'created';
    if (inProgress > 0) status = 'deploying';
    else if (route && route.endpoints.length > 0) status = 'running';
    else if (latest && latest.status !== 'succeeded') status = 'failed';
    await this.dataSource.getRepository(Service).update({ id: serviceId }, { status });
    return status;
  }
}
