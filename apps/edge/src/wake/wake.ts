import type { Server } from 'node:http';
import type Redis from 'ioredis';
import type { Logger } from 'pino';
import type { EdgeConfig } from '../config/config.schema';
import { RETRY_AFTER_WAKE_FAILED_SECONDS, edgeErrors } from '../http/edge-error';
import type { EdgeMetrics } from '../observability/metrics';
import type { RouteTable } from '../routing/route-table';
import { WakeHolds } from './wake-holds';
import { wakePublisher } from './wake-requests';
import { createWakeServer } from './wake-server';
import { wakeStateOf } from './wake-state';

/** While requests are held, the wake is asked for again this often. */
export const REPEAT_WAKE_MS = 3000;
/** While a service's last wake failed, a wake is asked for at most this often (as its answers say). */
export const FAILED_WAKE_MS = RETRY_AFTER_WAKE_FAILED_SECONDS * 1000;

export interface Wake {
  /** The holding server HAProxy's `wake` backend reaches. */
  readonly server: Server;
  /** The route table changed: held requests follow their service's route at once. */
  routesChanged(): void;
  /** Answers every held request 503 (the agent stops; nothing would release them). */
  close(): void;
}

/** Holding sleeping services' requests: the server, its queues, and the wake requests it publishes. */
export function createWake(
  config: Pick<EdgeConfig, 'wake' | 'upstream'>,
  routes: RouteTable,
  redis: Redis,
  metrics: EdgeMetrics,
  logger: Logger,
): Wake {
  const publish = wakePublisher(redis, logger);
  const holds = new WakeHolds(
    { ...config.wake, repeatWakeMs: REPEAT_WAKE_MS, failedWakeMs: FAILED_WAKE_MS },
    {
      requestWake: (serviceId) => {
        metrics.wakeRequested(serviceId);
        publish(serviceId);
      },
      ended: (serviceId, outcome) => metrics.holdEnded(serviceId, outcome),
      heldChanged: (serviceId, held) => metrics.heldRequests(serviceId, held),
    },
  );
  const stateOf = (serviceId: string) =>
    wakeStateOf(routes.get(serviceId), routes.wasDeleted(serviceId));
  const server = createWakeServer({
    holds,
    stateOf,
    forward: {
      connectTimeoutMs: config.upstream.connectTimeoutMs,
      responseTimeoutMs: config.upstream.responseTimeoutMs,
    },
  });
  return {
    server,
    routesChanged() {
      for (const serviceId of holds.services()) holds.update(serviceId, stateOf(serviceId));
    },
    close() {
      holds.close(edgeErrors.noReadyInstance());
    },
  };
}
