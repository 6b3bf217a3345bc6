import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, Logger, type OnApplicationBootstrap, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { QUEUES, SERVICE_JOBS, SERVICE_JOB_NAMES, type ServiceJobName } from '@slipway/contracts';
import { type Job } from 'bullmq';
import { APP_CONFIG } from '../config/config.module';
import { type AppConfig } from '../config/config.schema';
import { HandlesServiceJob, type ServiceJobHandler } from './service-jobs';

const LOCK_DURATION_MS = 15_000;
const STALLED_INTERVAL_MS = 10_000;

/**
 * The one executor of changes to running services: consumes the deploy queue, validates
 * each job's payload against its declared schema, and hands it to its handler.
 */
@Processor(QUEUES.deploy, {
  // A live worker renews its lock every lockDuration / 2. When an API process dies, its
  // lock expires and another API's (or its own successor's) stalled check puts the job
  // back within LOCK_DURATION_MS + STALLED_INTERVAL_MS, twice before failing it.
  lockDuration: LOCK_DURATION_MS,
  stalledInterval: STALLED_INTERVAL_MS,
  maxStalledCount: 2,
})
export class ServiceJobsProcessor
  extends WorkerHost
  implements OnModuleInit, OnApplicationBootstrap
{
  private readonly logger = new Logger(ServiceJobsProcessor.name);
  private handlers = new Map<ServiceJobName, ServiceJobHandler>();

  constructor(
    private readonly discovery: DiscoveryService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    super();
  }

  onModuleInit(): void {
    this.handlers = discoverHandlers(this.discovery);
  }

  onApplicationBootstrap(): void {
    this.worker.concurrency = this.config.deploy.concurrency;
  }

  async process(job: Job): Promise<void> {
    const { name, handler } = this.handlerOf(job);
    await handler.handle(SERVICE_JOBS[name].parse(job.data), job);
  }

  /**
   * A job that failed for good (attempts used up, or stalled too often) must not leave what
   * it changes in progress; one that will be retried is left alone.
   */
  @OnWorkerEvent('failed')
  async onFailed(job: Job | undefined, error: Error): Promise<void> {
    if (!job || (await job.getState()) !== 'failed') return;
    this.logger.error(`job ${job.name} ${job.id ?? ''} failed for good: ${error.message}`);
    const { name, handler } = this.handlerOf(job);
    const payload = SERVICE_JOBS[name].safeParse(job.data);
    if (payload.success) await handler.exhausted?.(payload.data, error);
  }

  private handlerOf(job: Job): { name: ServiceJobName; handler: ServiceJobHandler } {
    const name = job.name as ServiceJobName;
    const handler = this.handlers.get(name);
    if (!handler) throw new Error(`no handler for job "${job.name}" on ${QUEUES.deploy}`);
    return { name, handler };
  }
}

/** Exactly one handler per job name, or the process does not start. */
export function discoverHandlers(
  discovery: DiscoveryService,
): Map<ServiceJobName, ServiceJobHandler> {
  const found = new Map<ServiceJobName, ServiceJobHandler[]>();
  for (const wrapper of discovery.getProviders({ metadataKey: HandlesServiceJob.KEY })) {
    const name = discovery.getMetadataByDecorator(HandlesServiceJob, wrapper);
    if (name === undefined) continue;
    found.set(name, [...(found.get(name) ?? []), wrapper.instance as ServiceJobHandler]);
  }
  const problems: string[] = [];
  for (const name of found.keys()) {
    if (!SERVICE_JOB_NAMES.includes(name))
      problems.push(`"${name}" is not a job of the deploy queue`);
  }
  for (const name of SERVICE_JOB_NAMES) {
    const count = found.get(name)?.length ?? 0;
    if (count !== 1)
      problems.push(`job "${name}" has ${count === 0 ? 'no handler' : `${count} handlers`}`);
  }
  if (problems.length > 0) {
    throw new Error(`The deploy queue's job handlers are wrong: ${problems.join('; ')}`);
  }
  return new Map([...found].map(([name, [handler]]) => [name, handler as ServiceJobHandler]));
}
