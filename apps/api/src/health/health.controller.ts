import { Controller, Get, HttpCode, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Response } from 'express';
import { DataSource } from 'typeorm';
import { Public } from '../auth/decorators';
import { RedisClient } from '../redis/redis.module';

const CHECK_TIMEOUT_MS = 2000;

@ApiTags('health')
@Public()
@Controller()
export class HealthController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly redis: RedisClient,
  ) {}

  @Get('healthz')
  @HttpCode(200)
  @ApiOperation({ summary: 'The process is up' })
  healthz(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('readyz')
  @ApiOperation({ summary: 'PostgreSQL and Redis are reachable (503 otherwise)' })
  async readyz(
    @Res({ passthrough: true }) res: Response,
  ): Promise<{ status: string; checks: Record<string, string> }> {
    const [postgres, redis] = await Promise.all([
      this.postgresReady(),
      this.redis.ping(CHECK_TIMEOUT_MS),
    ]);
    const ready = postgres && redis;
    res.status(ready ? 200 : 503);
    return {
      status: ready ? 'ok' : 'unavailable',
      checks: { postgres: postgres ? 'ok' : 'unreachable', redis: redis ? 'ok' : 'unreachable' },
    };
  }

  private async postgresReady(): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        this.dataSource.query('SELECT 1').then(() => true),
        new Promise<boolean>((resolve) => {
          timer = setTimeout(() => resolve(false), CHECK_TIMEOUT_MS);
        }),
      ]);
    } catch {
      return false;
    } finally {
      clearTimeout(timer);
    }
  }
}
