import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { TOKEN_PREFIX } from '@slipway/contracts';
import { DomainError } from '../common/errors/domain-error';
import { TokensService } from '../tokens/tokens.service';
import { IS_PUBLIC } from './decorators';
import { type AuthenticatedRequest } from './principal';
import { RateLimiter } from './rate-limiter.service';

const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;

/** Every route needs a Personal Access Token unless marked @Public(). */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokensService,
    private readonly rateLimiter: RateLimiter,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (isPublic) return true;

    const req = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const header = req.headers.authorization;
    if (!header) {
      throw DomainError.unauthorized(
        'Missing Authorization header; send "Authorization: Bearer <personal access token>"',
      );
    }
    const value = BEARER.exec(header)?.[1];
    if (!value)
      throw DomainError.unauthorized(
        'The Authorization header must be "Bearer <personal access token>"',
      );
    if (value.startsWith(TOKEN_PREFIX.accessKey)) {
      throw DomainError.unauthorized(
        'Access Keys authenticate requests to services, not the management API; use a Personal Access Token',
      );
    }
    if (value.startsWith(TOKEN_PREFIX.serviceToken)) {
      throw DomainError.unauthorized(
        'Service tokens report traces; the management API needs a Personal Access Token',
      );
    }

    const principal = await this.tokens.authenticate(value);
    await this.rateLimiter.consume(principal.tokenId);
    req.principal = principal;
    return true;
  }
}
