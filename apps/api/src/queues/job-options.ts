import { type JobsOptions } from 'bullmq';

const DAY_SECONDS = 24 * 60 * 60;

/** The options of the deploy queue's jobs: `jobId` makes a second add a no-op. */
export function serviceJobOptions(jobId: string, attempts: number, delayMs = 0): JobsOptions {
  return {
    jobId,
    attempts,
    delay: delayMs,
    backoff: { type: 'exponential', delay: 2000 },
    removeOnComplete: { age: 7 * DAY_SECONDS },
    removeOnFail: { age: 30 * DAY_SECONDS },
  };
}
