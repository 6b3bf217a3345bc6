/**
 * How BullMQ notices a build whose worker died. A live worker renews its lock every
 * lockDuration / 2. When a worker process dies, its lock expires within LOCK_DURATION_MS;
 * any live builder's stalled check (every STALLED_INTERVAL_MS) then moves the job back to
 * `wait` (first stall) or fails it with "job stalled more than allowable limit" (after
 * MAX_STALLED_COUNT stalls). So a dead worker's build is picked up again or failed within
 * LOCK_DURATION_MS + STALLED_INTERVAL_MS = 45 s, as long as one builder is running.
 */
export const LOCK_DURATION_MS = 30_000;
export const STALLED_INTERVAL_MS = 15_000;
export const MAX_STALLED_COUNT = 1;
/** Upper bound on how long a dead worker's build stays `active`. */
export const STALLED_BUILD_BOUND_MS = LOCK_DURATION_MS + STALLED_INTERVAL_MS;
