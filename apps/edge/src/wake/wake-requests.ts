import { CHANNELS, type WakeRequest } from '@slipway/contracts';
import type Redis from 'ioredis';
import type { Logger } from 'pino';

/**
 * Publishes "wake this service" for the API. Fire and forget: while requests are held the
 * request is repeated, so one lost (Redis down) only delays the wake; the API dedups.
 */
export function wakePublisher(redis: Redis, logger: Logger): (serviceId: string) => void {
  return (serviceId) => {
    const message: WakeRequest = { serviceId, at: new Date().toISOString() };
    redis
      .publish(CHANNELS.wakeRequests, JSON.stringify(message))
      .catch((error: unknown) =>
        logger.warn({ err: error, serviceId }, 'wake request not published; repeated while held'),
      );
  };
}
