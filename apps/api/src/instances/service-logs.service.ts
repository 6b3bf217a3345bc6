import { Inject, Injectable } from '@nestjs/common';
import { DeploymentsService } from '../deployments/deployments.service';
import {
  RUNTIME_DRIVER,
  type RuntimeDriver,
  type ServiceLogLine,
  type ServiceLogQuery,
} from '../runtime/runtime-driver';
import { ServicesService } from '../services/services.service';

/** Log lines of every instance of a service the user can see. */
@Injectable()
export class ServiceLogsService {
  constructor(
    private readonly services: ServicesService,
    private readonly deployments: DeploymentsService,
    @Inject(RUNTIME_DRIVER) private readonly runtime: RuntimeDriver,
  ) {}

  /** Throws not_found for a service that does not exist or is not the user's. */
  async read(userId: string, serviceId: string, query: ServiceLogQuery): Promise<ServiceLogLine[]> {
    const service = await this.services.get(userId, serviceId);
    return this.runtime.serviceLogs(await this.deployments.refOf(service), query);
  }
}
