import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { SessionsModule } from '../sessions/sessions.module';
import { TokensModule } from '../tokens/tokens.module';
import { AuthGuard } from './auth.guard';
import { RateLimiter } from './rate-limiter.service';

@Module({
  imports: [TokensModule, SessionsModule],
  providers: [RateLimiter, { provide: APP_GUARD, useClass: AuthGuard }],
})
export class AuthModule {}
