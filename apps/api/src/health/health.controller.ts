import { Controller, Get, HttpCode, Inject, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Response } from 'express';
import { DataSource } from 'typeorm';
import { Public } from '../auth/decorators';
import { RedisClient } from '../redis/redis.module';
import { RUNTIME_DRIVER, type RuntimeDriver } from '../runtime/runtime-driver';

type CheckResult = 'ok' | 'unreachable';

interface Readiness {
  status: 'ok' | 'unavailable';
  checks: { postgres: CheckResult; redis: CheckResult; runtime: CheckResult };
  /** What is unreachable, in words, when something is. */
  problems?: string[];
}

const CHECK_TIMEOUT_MS = 2000;

@ApiTags('health')
@Public()
@Controller()
export class HealthController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly redis: RedisClient,
    @Inject(RUNTIME_DRIVER) private readonly runtime: RuntimeDriver,
  ) {}

  @Get('healthz')
  @HttpCode(200)
  @ApiOperation({ summary: 'The process is up' })
  healthz(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('readyz')
  @ApiOperation({
    summary: 'PostgreSQL, Redis and the runtime (Docker Engine) are reachable (503 otherwise)',
  })
  async readyz(@Res({ passthrough: true }) res: Response): Promise<Readiness> {
    const [postgres, redis, runtime] = await Promise.all([
      this.postgresReady(),
      this.redis.ping(CHECK_TIMEOUT_MS),
      this.runtime.ping().then(
        () => null,
        (error: unknown) => (error as Error).message,
      ),
    ]);
    const problems = [
      ...(postgres ? [] : ['PostgreSQL is unreachable']),
      ...(redis ? [] : ['Redis is unreachable']),
      ...(runtime === null ? [] : [runtime]),
    ];
    res.status(problems.length === 0 ? 200 : 503);
    const result = (ok: boolean): CheckResult => (ok ? 'ok' : 'unreachable');
    return {
      status: problems.length === 0 ? 'ok' : 'unavailable',
      checks: {
        postgres: result(postgres),
        redis: result(redis),
        runtime: result(runtime === null),
      },
      ...(problems.length === 0 ? {} : { problems }),
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
