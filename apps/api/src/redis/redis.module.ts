import {
  Global,
  Inject,
  Injectable,
  Logger,
  Module,
  type OnApplicationShutdown,
} from '@nestjs/common';
import Redis from 'ioredis';
import { APP_CONFIG } from '../config/config.module';
import { type AppConfig } from '../config/config.schema';

/** The API's one shared Redis connection (rate limits, readiness; queues come later). */
@Injectable()
export class RedisClient implements OnApplicationShutdown {
  private readonly logger = new Logger(RedisClient.name);
  readonly connection: Redis;
  private closing = false;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.connection = new Redis(config.redis.url, {
      lazyConnect: false,
      maxRetriesPerRequest: 2,
      enableOfflineQueue: false,
      retryStrategy: (attempt) => (this.closing ? null : Math.min(attempt * 200, 2000)),
    });
    this.connection.on('error', (error: Error) => this.logger.warn(`Redis: ${error.message}`));
  }

  async ping(timeoutMs: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    try {
      return await Promise.race([
        this.connection.ping().then((reply) => reply === 'PONG'),
        timeout,
      ]);
    } catch {
      return false;
    } finally {
      clearTimeout(timer);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    this.closing = true;
    if (this.connection.status === 'ready') {
      await this.connection.quit().catch(() => undefined);
    }
    // Stops any reconnect timer too, so a stopped API leaves nothing running.
    this.connection.disconnect();
  }
}

@Global()
@Module({ providers: [RedisClient], exports: [RedisClient] })
export class RedisModule {}
