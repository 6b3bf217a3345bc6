/**
 * BullMQ queues and the job names on them. Producer (API) and consumers (API deploy
 * processor, builder) import these so a typo cannot split a queue in two.
 */

/** Queue names. No `:` in them: BullMQ uses it to build its Redis keys. */
export const QUEUES = {
  build: 'slipway-build',
  deploy: 'slipway-deploy',
} as const;

export type QueueKey = keyof typeof QUEUES;
export type QueueName = (typeof QUEUES)[QueueKey];

/**
 * The job name that starts a deployment on each queue (a flow runs `build` as the child of
 * `deploy`); the deploy queue's other jobs are listed in `SERVICE_JOBS`.
 */
export const JOB_NAMES = {
  build: 'build',
  deploy: 'deploy',
} as const satisfies Record<QueueKey, string>;

export type JobName = (typeof JOB_NAMES)[QueueKey];

/**
 * Deterministic job id for a deployment's job on a queue, so enqueueing the same
 * deployment twice is a no-op instead of a second build or rollout.
 */
export function deploymentJobId(queue: QueueKey, deploymentId: string): string {
  if (deploymentId.length === 0 || deploymentId.includes(':')) {
    throw new Error(`deploymentId: must be non-empty and contain no ":" (got "${deploymentId}")`);
  }
  return `${queue}-${deploymentId}`;
}
