import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { ErrorCode, MAX_STOP_GRACE_SECONDS, QUEUES, SERVICE_JOBS } from '@slipway/contracts';
import { Queue, QueueEvents } from 'bullmq';
import { DomainError } from '../common/errors/domain-error';
import { APP_CONFIG } from '../config/config.module';
import { type AppConfig } from '../config/config.schema';
import { serviceJobOptions } from '../queues/job-options';
import { type Service } from './service.entity';
import { type TeardownOptions } from './service-teardown';

/**
 * How long a DELETE waits for its job beyond the drain: the longest stop grace period and a
 * margin. The job itself goes on whatever the client does.
 */
const WAIT_BEYOND_DRAIN_MS = (MAX_STOP_GRACE_SECONDS + 60) * 1000;

/**
 * Deleting a service is a job on the deploy queue like every other change (its handler
 * takes the service's lock, so it never interleaves with a rollout or an operation, and a
 * crash part-way resumes it). The request waits for the job and answers its outcome.
 */
@Injectable()
export class ServiceDeletion implements OnModuleDestroy {
  private events: Promise<QueueEvents> | undefined;

  constructor(
    @InjectQueue(QUEUES.deploy) private readonly queue: Queue,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async delete(service: Service, options: TeardownOptions): Promise<void> {
    const events = await this.queueEvents();
    // A fresh job id per request: a retry after a failed deletion must run again.
    const job = await this.queue.add(
      'delete',
      SERVICE_JOBS.delete.parse({ serviceId: service.id, ...options }),
      serviceJobOptions(`delete-${service.id}-${Date.now().toString(36)}`, 1),
    );
    try {
      await job.waitUntilFinished(
        events,
        this.config.runtime.drainSeconds * 1000 + WAIT_BEYOND_DRAIN_MS,
      );
    } catch (error) {
      // The row stays when a step failed, so the caller can retry; every step is idempotent.
      throw new DomainError(
        ErrorCode.ServiceUnavailable,
        `The service was not deleted: ${(error as Error).message}. Try again shortly.`,
      );
    }
  }

  async onModuleDestroy(): Promise<void> {
    const events = await this.events?.catch(() => undefined);
    await events?.close();
  }

  /** One listener per process, ready before the first job is added. */
  private queueEvents(): Promise<QueueEvents> {
    this.events ??= (async () => {
      const events = new QueueEvents(QUEUES.deploy, {
        connection: { url: this.config.redis.url, maxRetriesPerRequest: null },
        prefix: this.config.queues.prefix,
      });
      await events.waitUntilReady();
      return events;
    })();
    this.events.catch(() => {
      this.events = undefined;
    });
    return this.events;
  }
}
