import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { BuildJobResultSchema, DeployJobPayloadSchema, QUEUES } from '@slipway/contracts';
import { type Job } from 'bullmq';
import { DataSource } from 'typeorm';
import { APP_CONFIG } from '../config/config.module';
import { type AppConfig } from '../config/config.schema';
import { Deployment } from '../deployments/deployment.entity';
import { RolloutRunner } from './rollout.runner';
import { ServiceStatusUpdater } from '../deployments/service-status';

/**
 * Consumes `deploy` jobs. For a source deployment the job runs once its `build` child has
 * ended either way: a failed build is recorded as `build_failed` with the builder's reason,
 * a finished one hands its image and digest to the rollout.
 */
@Processor(QUEUES.deploy)
export class DeployProcessor extends WorkerHost implements OnApplicationBootstrap {
  private readonly logger = new Logger(DeployProcessor.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly runner: RolloutRunner,
    private readonly statuses: ServiceStatusUpdater,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    super();
  }

  onApplicationBootstrap(): void {
    this.worker.concurrency = this.config.deploy.concurrency;
  }

  async process(job: Job): Promise<void> {
    const payload = DeployJobPayloadSchema.parse(job.data);
    const deployment = await this.dataSource
      .getRepository(Deployment)
      .findOne({ where: { id: payload.deploymentId } });
    if (!deployment) return; // the service (and its deployments) were deleted
    if (deployment.status === 'building' && !(await this.takeBuildResult(job, deployment))) {
      await this.statuses.refresh(deployment.serviceId);
      return;
    }
    await this.runner.run(deployment.id);
  }

  /** A deploy job that used up its attempts must not leave its deployment in progress. */
  @OnWorkerEvent('failed')
  async onFailed(job: Job | undefined, error: Error): Promise<void> {
    if (!job || job.attemptsMade < (job.opts.attempts ?? 1)) return;
    const parsed = DeployJobPayloadSchema.safeParse(job.data);
    if (!parsed.success) return;
    this.logger.error(`deployment ${parsed.data.deploymentId} failed: ${error.message}`);
    await this.runner.finish(
      parsed.data.deploymentId,
      'deployment_failed',
      `the platform could not complete the rollout: ${error.message}`,
    );
  }

  /** Moves a built deployment to `deploying`; records `build_failed` otherwise. */
  private async takeBuildResult(job: Job, deployment: Deployment): Promise<boolean> {
    const failures = Object.values(await job.getIgnoredChildrenFailures());
    const results = Object.values(await job.getChildrenValues<unknown>());
    const built = BuildJobResultSchema.safeParse(results[0]);
    if (failures.length > 0 || !built.success) {
      const reason = failures[0] ?? 'the build ended without producing an image';
      await this.runner.finish(deployment.id, 'build_failed', reason);
      return false;
    }
    const moved = await this.dataSource
      .createQueryBuilder()
      .update(Deployment)
      .set({
        status: 'deploying',
        image: built.data.image,
        imageDigest: built.data.digest,
        buildTokenHash: null,
      })
      .where('id = :id AND status = :status', { id: deployment.id, status: 'building' })
      .execute();
    return (moved.affected ?? 0) > 0;
  }
}
