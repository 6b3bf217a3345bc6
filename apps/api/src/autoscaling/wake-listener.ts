import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { CHANNELS, WakeRequestSchema } from '@slipway/contracts';
import { isUUID } from 'class-validator';
import type Redis from 'ioredis';
import { RedisClient } from '../redis/redis.module';
import { ScaleToZero } from './scale-to-zero';

/** Longest a wake waits for another change of the service to end (the edge asks again). */
const WAKE_WAIT_MS = 30_000;

/**
 * Hears the edges ask for sleeping services to wake. Every API replica hears every request
 * and the edges repeat theirs while they hold requests; the row lock in `ScaleToZero.wake`
 * makes it one wake.
 */
@Injectable()
export class WakeListener implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(WakeListener.name);
  private subscriber: Redis | undefined;
  /** Wakes being decided now, so a burst of repeats waits for one answer, not a queue of them. */
  private readonly deciding = new Set<string>();

  constructor(
    private readonly redis: RedisClient,
    private readonly scaleToZero: ScaleToZero,
  ) {}

  onApplicationBootstrap(): void {
    // A subscribed connection serves nothing else; it reconnects and resubscribes by itself.
    // The subscription waits for Redis rather than failing the start: the API serves (and
    // says it is not ready) while Redis is away.
    this.subscriber = this.redis.connection.duplicate({
      enableOfflineQueue: true,
      maxRetriesPerRequest: null,
    });
    this.subscriber.on('error', (error: Error) => this.logger.warn(`Redis: ${error.message}`));
    this.subscriber.on('message', (_channel: string, raw: string) => this.onMessage(raw));
    this.subscriber.subscribe(CHANNELS.wakeRequests).catch((error: unknown) => {
      this.logger.warn(`not listening for wake requests: ${(error as Error).message}`);
    });
  }

  async onApplicationShutdown(): Promise<void> {
    this.subscriber?.disconnect();
    await Promise.resolve();
  }

  private onMessage(raw: string): void {
    let message: unknown;
    try {
      message = JSON.parse(raw);
    } catch {
      message = raw;
    }
    const parsed = WakeRequestSchema.safeParse(message);
    if (!parsed.success) {
      this.logger.warn(`wake request ignored: ${parsed.error.message}`);
      return;
    }
    const { serviceId } = parsed.data;
    if (!isUUID(serviceId)) {
      this.logger.warn(`wake request ignored: '${serviceId.slice(0, 64)}' is not a service id`);
      return;
    }
    if (this.deciding.has(serviceId)) return;
    this.deciding.add(serviceId);
    this.scaleToZero
      .wakeWhenFree(serviceId, WAKE_WAIT_MS)
      .catch((error: unknown) => {
        this.logger.warn(`wake of ${serviceId} not started: ${(error as Error).message}`);
      })
      .finally(() => this.deciding.delete(serviceId));
  }
}
