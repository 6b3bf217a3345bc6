import { InjectFlowProducer, InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable } from '@nestjs/common';
import {
  BuildJobPayloadSchema,
  DeployJobPayloadSchema,
  JOB_NAMES,
  QUEUES,
  SERVICE_JOBS,
  deploymentJobId,
  type BuildJobPayload,
  type DeployJobPayload,
  type ServiceJobName,
  type ServiceJobPayload,
} from '@slipway/contracts';
import { FlowProducer, Queue, type JobState, type JobsOptions } from 'bullmq';
import { APP_CONFIG } from '../config/config.module';
import { type AppConfig } from '../config/config.schema';
import { serviceJobOptions } from '../queues/job-options';
import { DEPLOY_FLOW } from '../queues/queues.module';

/**
 * A deployment's job options. Deterministic job ids make enqueueing a deployment twice a
 * no-op. A build child that fails does not block its parent (`ignoreDependencyOnFailure`):
 * the deploy job then runs, reads the failure and records `build_failed` with its reason.
 */
function jobOptions(
  queue: 'build' | 'deploy',
  deploymentId: string,
  attempts: number,
): JobsOptions {
  return {
    ...serviceJobOptions(deploymentJobId(queue, deploymentId), attempts),
    ...(queue === 'build' ? { ignoreDependencyOnFailure: true } : {}),
  };
}

/**
 * The producer side of the deploy queue: deployments (`deploy` alone for an image, `build`
 * → `deploy` for a source bundle) and the other jobs of `SERVICE_JOBS`.
 */
@Injectable()
export class DeployQueue {
  constructor(
    @InjectQueue(QUEUES.deploy) private readonly deploys: Queue,
    @InjectQueue(QUEUES.build) private readonly builds: Queue,
    @InjectFlowProducer(DEPLOY_FLOW) private readonly flows: FlowProducer,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async enqueue(deploy: DeployJobPayload, build?: BuildJobPayload): Promise<void> {
    const deployData = DeployJobPayloadSchema.parse(deploy);
    // A rollout that dies with its API process is picked up again; three tries in all.
    const deployOptions = jobOptions('deploy', deploy.deploymentId, 3);
    if (!build) {
      await this.deploys.add(JOB_NAMES.deploy, deployData, deployOptions);
      return;
    }
    await this.flows.add({
      name: JOB_NAMES.deploy,
      queueName: QUEUES.deploy,
      data: deployData,
      opts: deployOptions,
      children: [
        {
          name: JOB_NAMES.build,
          queueName: QUEUES.build,
          data: BuildJobPayloadSchema.parse(build),
          opts: jobOptions('build', build.deploymentId, this.config.deploy.buildAttempts),
        },
      ],
    });
  }

  /** Queues a job of the deploy queue, its payload checked against its declared schema. */
  async add<N extends ServiceJobName>(
    name: N,
    payload: ServiceJobPayload<N>,
    options: JobsOptions,
  ): Promise<void> {
    await this.deploys.add(name, SERVICE_JOBS[name].parse(payload), options);
  }

  /** Where a job of the deploy queue is: `unknown` when the queue has no such job. */
  async state(jobId: string): Promise<JobState | 'unknown'> {
    return this.deploys.getJobState(jobId);
  }

  /** Whether a job is still queued, running or delayed (not ended, not lost). */
  async pending(jobId: string): Promise<boolean> {
    const state = await this.state(jobId);
    return state !== 'completed' && state !== 'failed' && state !== 'unknown';
  }

  /** Drops a superseded deployment's jobs that have not started (running ones end on their own). */
  async discard(deploymentId: string): Promise<void> {
    await Promise.allSettled([
      this.builds.remove(deploymentJobId('build', deploymentId)),
      this.deploys.remove(deploymentJobId('deploy', deploymentId), { removeChildren: true }),
    ]);
  }
}
