import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { deploymentJobId } from '@slipway/contracts';
import { DataSource } from 'typeorm';
import { PeriodicTask } from '../common/scheduling/periodic-task';
import { DeployQueue } from '../deployments/deploy-queue';
import { serviceJobOptions } from '../queues/job-options';
import { Deployment } from '../deployments/deployment.entity';
import { ServiceOperation } from '../operations/service-operation.entity';
import { OPERATION_ATTEMPTS, operationJobId } from '../operations/operation-jobs';
import { RolloutRunner } from './rollout.runner';

const SWEEP_INTERVAL_MS = 15_000;
/** Younger rows may still be on their way into the queue. */
const SETTLE_MS = 15_000;
const ROLLOUT_ATTEMPTS = 3;

/**
 * Nothing in progress is lost with the queue store: a rollout or operation whose job is
 * gone (Redis restarted without persistence, say) is queued again, and one whose job ended
 * without ending it is ended `failed`, saying so. PostgreSQL holds the truth.
 */
@Injectable()
export class LostJobSweeper implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(LostJobSweeper.name);
  private readonly schedule = new PeriodicTask('lost-job sweep', () => this.sweep(), this.logger);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly queue: DeployQueue,
    private readonly runner: RolloutRunner,
  ) {}

  onApplicationBootstrap(): void {
    this.schedule.start(SWEEP_INTERVAL_MS);
  }

  onModuleDestroy(): Promise<void> {
    return this.schedule.stop();
  }

  async sweep(now = Date.now()): Promise<void> {
    const before = new Date(now - SETTLE_MS);
    const rollouts = await this.dataSource
      .getRepository(Deployment)
      .createQueryBuilder('d')
      .where("d.status = 'deploying' AND d.started_at < :before", { before })
      .getMany();
    for (const deployment of rollouts) await this.recoverRollout(deployment);
    const operations = await this.dataSource
      .getRepository(ServiceOperation)
      .createQueryBuilder('o')
      .where("o.status = 'running' AND o.started_at < :before", { before })
      .getMany();
    for (const operation of operations) await this.recoverOperation(operation);
  }

  private async recoverRollout(deployment: Deployment): Promise<void> {
    const jobId = deploymentJobId('deploy', deployment.id);
    const state = await this.queue.state(jobId);
    if (state === 'unknown' && deployment.image) {
      this.logger.warn(`deployment ${deployment.id}: its job was lost; queued again`);
      await this.queue.add(
        'deploy',
        {
          deploymentId: deployment.id,
          serviceId: deployment.serviceId,
          projectId: deployment.projectId,
          orgId: deployment.orgId,
          trigger: deployment.trigger,
          image: deployment.image,
        },
        serviceJobOptions(jobId, ROLLOUT_ATTEMPTS),
      );
    } else if (state === 'completed' || state === 'failed' || state === 'unknown') {
      await this.runner.finish(
        deployment.id,
        'deployment_failed',
        `the rollout's job ${state === 'unknown' ? 'was lost' : `ended (${state})`} without an outcome`,
      );
    }
  }

  private async recoverOperation(operation: ServiceOperation): Promise<void> {
    const jobId = operationJobId(operation.id);
    const state = await this.queue.state(jobId);
    if (state === 'unknown') {
      this.logger.warn(`operation ${operation.id}: its job was lost; queued again`);
      await this.queue.add(
        'operation',
        { operationId: operation.id, serviceId: operation.serviceId },
        serviceJobOptions(jobId, OPERATION_ATTEMPTS),
      );
    } else if (state === 'completed' || state === 'failed') {
      await this.dataSource.getRepository(ServiceOperation).update(
        { id: operation.id, status: 'running' },
        {
          status: 'failed',
          failureReason: `its job ended (${state}) without an outcome`,
          endedAt: new Date(),
        },
      );
    }
  }
}
