import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { CSRF_HEADER, TOKEN_PREFIX } from '@slipway/contracts';
import { DomainError } from '../common/errors/domain-error';
import { TokensService } from '../tokens/tokens.service';
import { IS_PUBLIC } from './decorators';
import { sessionCookieOf } from '../sessions/session-cookie';
import { SessionsService } from '../sessions/sessions.service';
import { type AuthenticatedRequest, type Principal } from './principal';
import { RateLimiter } from './rate-limiter.service';

const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Every route needs a Personal Access Token, or a browser session, unless marked @Public(). */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokensService,
    private readonly rateLimiter: RateLimiter,
    private readonly sessions: SessionsService,
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
      const session = sessionCookieOf(req);
      if (!session) {
        throw DomainError.unauthorized(
          'Missing Authorization header; send "Authorization: Bearer <personal access token>"',
        );
      }
      req.principal = await this.fromSession(req, session);
      await this.rateLimiter.consume(req.principal.tokenId);
      return true;
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

  /** A browser session: a change must also carry its CSRF token (a cross-site form cannot). */
  private fromSession(req: AuthenticatedRequest, secret: string): Promise<Principal> {
    if (SAFE_METHODS.has(req.method)) return this.sessions.authenticate(secret, null);
    const csrf = req.headers[CSRF_HEADER];
    if (typeof csrf !== 'string' || csrf === '') {
      throw DomainError.forbidden(
        'Changes made with the session cookie need the X-CSRF-Token header (the csrf_token POST /v1/sessions answered)',
      );
    }
    return this.sessions.authenticate(secret, csrf);
  }
}
