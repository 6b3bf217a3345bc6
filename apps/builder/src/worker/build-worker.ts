/**
 * The BullMQ worker on the build queue, with the Redis connections it and the build logs
 * use. It starts with the application and, on shutdown, stops taking jobs, gives running
 * builds the grace period to finish, then hands the rest back to the queue.
 */
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { type BuildJobResult, QUEUES } from '@slipway/contracts';
import { Worker } from 'bullmq';
import Redis from 'ioredis';
import type { BuilderConfig } from '../config/config.schema';
import { BUILD_DRIVER, type BuildDriver } from '../drivers/build-driver';
import { RedisBuildLog } from '../logs/build-log-sink';
import { BuildJobRunner } from './build-job-runner';
import { LOCK_DURATION_MS, MAX_STALLED_COUNT, STALLED_INTERVAL_MS } from './worker-settings';

export const BUILDER_CONFIG = Symbol('BUILDER_CONFIG');

@Injectable()
export class BuildWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(BuildWorker.name);
  private queueConnection: Redis | undefined;
  private logConnection: Redis | undefined;
  private worker: Worker<unknown, BuildJobResult> | undefined;
  private runner: BuildJobRunner | undefined;

  constructor(
    @Inject(BUILDER_CONFIG) private readonly config: BuilderConfig,
    @Inject(BUILD_DRIVER) private readonly driver: BuildDriver,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { config } = this;
    // BullMQ's blocking commands need a connection that never gives up on a request.
    this.queueConnection = new Redis(config.redis.url, { maxRetriesPerRequest: null });
    // Log writes must fail fast instead, so a Redis outage cannot stall a build.
    this.logConnection = new Redis(config.redis.url, { maxRetriesPerRequest: 2 });
    for (const connection of [this.queueConnection, this.logConnection]) {
      connection.on('error', (error: Error) => this.logger.warn(`Redis: ${error.message}`));
    }
    const logConnection = this.logConnection;
    const runner = new BuildJobRunner({
      driver: this.driver,
      timeoutSeconds: config.build.timeoutSeconds,
      openLog: (deploymentId) =>
        new RedisBuildLog(logConnection, deploymentId, (error) =>
          this.logger.warn(`build log for ${deploymentId} lost lines: ${error.message}`),
        ),
    });
    this.runner = runner;
    const worker = new Worker<unknown, BuildJobResult>(
      QUEUES.build,
      (job, token) => runner.run(job, token),
      {
        connection: this.queueConnection,
        prefix: config.queue.prefix,
        concurrency: config.queue.concurrency,
        lockDuration: LOCK_DURATION_MS,
        stalledInterval: STALLED_INTERVAL_MS,
        maxStalledCount: MAX_STALLED_COUNT,
        autorun: false,
      },
    );
    this.worker = worker;
    worker.on('error', (error) => this.logger.error(`build worker: ${error.message}`));
    worker.on('active', (job) => this.logger.log(`build ${job.id} started`));
    worker.on('completed', (job) =>
      this.logger.log(`build ${job.id} pushed ${job.returnvalue.image}`),
    );
    worker.on('failed', (job, error) =>
      this.logger.warn(`build ${job?.id ?? '?'} failed: ${error.message.split('\n')[0]}`),
    );
    void worker.run().catch((error: unknown) => {
      this.logger.error(
        `build worker stopped: ${error instanceof Error ? error.message : String(error)}`,
      );
    });
    await worker.waitUntilReady();
    this.logger.log(
      `taking ${QUEUES.build} jobs (prefix '${config.queue.prefix}', ${config.queue.concurrency} at a time, ${this.driver.kind} driver)`,
    );
  }

  async onApplicationShutdown(): Promise<void> {
    const { worker, runner } = this;
    if (worker && runner) {
      const graceMs = this.config.build.shutdownGraceSeconds * 1000;
      if (runner.activeBuilds > 0) {
        this.logger.log(
          `stopping: ${runner.activeBuilds} running build(s) get ${graceMs / 1000} s to finish`,
        );
      }
      const grace = setTimeout(() => runner.interruptAll(), graceMs);
      await worker.close();
      clearTimeout(grace);
    }
    for (const connection of [this.queueConnection, this.logConnection]) {
      if (!connection) continue;
      await connection.quit().catch(() => undefined);
      connection.disconnect();
    }
  }
}
