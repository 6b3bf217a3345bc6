import { Inject, Injectable, Logger } from '@nestjs/common';
import { ErrorCode } from '@slipway/contracts';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { DomainError } from '../common/errors/domain-error';
import { APP_CONFIG } from '../config/config.module';
import { type AppConfig } from '../config/config.schema';
import { RedisClient } from '../redis/redis.module';

/**
 * Per-token request budget shared by every API instance through Redis. If Redis is
 * unreachable each instance falls back to its own in-memory budget rather than failing
 * every request.
 */
@Injectable()
export class RateLimiter {
  private readonly logger = new Logger(RateLimiter.name);
  private readonly limiter: RateLimiterRedis;

  constructor(@Inject(APP_CONFIG) config: AppConfig, redis: RedisClient) {
    const points = config.rateLimit.requestsPerMinute;
    this.limiter = new RateLimiterRedis({
      storeClient: redis.connection,
      keyPrefix: 'slipway:ratelimit:token',
      points,
      duration: 60,
      insuranceLimiter: new RateLimiterMemory({ points, duration: 60 }),
    });
  }

  async consume(tokenId: string): Promise<void> {
    try {
      await this.limiter.consume(tokenId);
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) {
        const retryAfter = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
        throw new DomainError(
          ErrorCode.RateLimited,
          `Too many requests for this token; retry in ${retryAfter} s`,
          { 'Retry-After': String(retryAfter) },
        );
      }
      this.logger.warn(`Rate limiter unavailable: ${(rejection as Error).message}`);
    }
  }
}
