import Redis from 'ioredis';
import type { Logger } from 'pino';

type Handlers = Record<string, (payload: string) => void> & { onReconnect: () => void };

/**
 * A Redis connection in subscriber mode; ioredis resubscribes after every reconnect, and
 * `onReconnect` runs for every connection but the first (messages may have been missed).
 */
export function subscribe(
  url: string,
  logger: Logger,
  handlers: Handlers,
): { redis: Redis; subscribed: Promise<void> } {
  const { onReconnect, ...channels } = handlers;
  const redis = new Redis(url, {
    // Subscriptions must survive outages: keep retrying, never give up on commands.
    maxRetriesPerRequest: null,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
  });
  let readyBefore = false;
  redis.on('error', (error: Error) => logger.warn(`Redis: ${error.message}`));
  redis.on('ready', () => {
    if (readyBefore) onReconnect();
    readyBefore = true;
  });
  redis.on('message', (channel: string, payload: string) => channels[channel]?.(payload));
  const subscribed = redis.subscribe(...Object.keys(channels)).then(
    () => undefined,
    (error: unknown) => logger.warn({ err: error }, 'Redis subscription failed'),
  );
  return { redis, subscribed };
}

/**
 * A Redis connection for the agent's writes (wake requests, activity), each repeated on a
 * schedule: while Redis is unreachable they fail at once rather than queue up.
 */
export function commandConnection(
  url: string,
  logger: Logger,
): { redis: Redis; ready: Promise<void> } {
  const redis = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
  });
  // The subscriber connection reports Redis outages; this one would only repeat them.
  redis.on('error', (error: Error) => logger.debug(`Redis (commands): ${error.message}`));
  const ready = new Promise<void>((resolve) => {
    if (redis.status === 'ready') resolve();
    else redis.once('ready', () => resolve());
  });
  return { redis, ready };
}
