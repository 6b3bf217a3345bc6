import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { BuildJobResultSchema, type DeployJobPayload } from '@slipway/contracts';
import { type Job } from 'bullmq';
import { DataSource } from 'typeorm';
import { Deployment } from '../deployments/deployment.entity';
import { ServiceStatusUpdater } from '../deployments/service-status';
import { RolloutRunner } from './rollout.runner';
import { HandlesServiceJob, type ServiceJobHandler } from './service-jobs';

/**
 * Carries out `deploy` jobs. For a source deployment the job runs once its `build` child
 * has ended either way: a failed build is recorded as `build_failed` with the builder's
 * reason, a finished one hands its image and digest to the rollout.
 */
@Injectable()
@HandlesServiceJob('deploy')
export class DeployJobHandler implements ServiceJobHandler<'deploy'> {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly runner: RolloutRunner,
    private readonly statuses: ServiceStatusUpdater,
  ) {}

  async handle(payload: DeployJobPayload, job: Job): Promise<void> {
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

  async exhausted(payload: DeployJobPayload, error: Error): Promise<void> {
    await this.runner.finish(
      payload.deploymentId,
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
        // A git build says which commit it cloned: the branch head when it ran.
        ...(deployment.repo &&
          built.data.commit && {
            repo: {
              ...deployment.repo,
              commitSha: built.data.commit.sha,
              commitMessage: built.data.commit.message,
            },
          }),
      })
      .where('id = :id AND status = :status', { id: deployment.id, status: 'building' })
      .execute();
    return (moved.affected ?? 0) > 0;
  }
}
