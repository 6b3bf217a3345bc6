import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { TokensModule } from '../tokens/tokens.module';
import { AuthGuard } from './auth.guard';
import { RateLimiter } from './rate-limiter.service';

@Module({
  imports: [TokensModule],
  providers: [RateLimiter, { provide: APP_GUARD, useClass: AuthGuard }],
})
export class AuthModule {}
