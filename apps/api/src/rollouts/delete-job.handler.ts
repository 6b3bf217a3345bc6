import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { IN_PROGRESS_DEPLOYMENT_STATUSES, type DeleteJobPayload } from '@slipway/contracts';
import { DataSource, In } from 'typeorm';
import { Deployment } from '../deployments/deployment.entity';
import { Service } from '../services/service.entity';
import { ServiceTeardown } from '../services/service-teardown';
import { HandlesServiceJob, type ServiceJobHandler } from './service-jobs';
import { acquireServiceLock, releaseServiceLock } from './service-lock';

/** Ends the service's deployments in progress; their rollouts stop within a second. */
export async function cancelRollouts(dataSource: DataSource, serviceId: string): Promise<void> {
  await dataSource.getRepository(Deployment).update(
    { serviceId, status: In([...IN_PROGRESS_DEPLOYMENT_STATUSES]) },
    {
      status: 'cancelled',
      endedAt: new Date(),
      failureReason: 'the service was deleted',
      buildTokenHash: null,
    },
  );
}

/**
 * Deletes a service under its rollout lock: what it runs and stores goes first (the
 * teardown steps other modules registered, each idempotent), the row last. A failed step
 * fails the job with the step named and leaves the row, so the delete can be asked again.
 */
@Injectable()
@HandlesServiceJob('delete')
export class DeleteJobHandler implements ServiceJobHandler<'delete'> {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly teardown: ServiceTeardown,
  ) {}

  async handle({ serviceId, force, keepVolumes }: DeleteJobPayload): Promise<void> {
    const exists = async (): Promise<boolean> =>
      (await this.dataSource.getRepository(Service).existsBy({ id: serviceId })) === true;
    if (!(await exists())) return;
    // A rollout holding the lock notices its cancellation and lets go.
    await cancelRollouts(this.dataSource, serviceId);
    const lock = await acquireServiceLock(this.dataSource, serviceId, exists);
    if (!lock) return;
    try {
      const service = await this.dataSource.getRepository(Service).findOneBy({ id: serviceId });
      if (!service) return;
      await this.teardown.run(service, { force, keepVolumes });
      await this.dataSource.getRepository(Service).delete({ id: serviceId });
    } finally {
      await releaseServiceLock(lock, serviceId);
    }
  }
}
