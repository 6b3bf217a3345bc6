import { createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import { type AuthenticatedRequest, type Principal } from './principal';

export const IS_PUBLIC = 'slipway:public';

/** Marks a route that needs no credentials (health checks, the OpenAPI document). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC, true);

/** The authenticated caller; only on routes behind the AuthGuard. */
export const CurrentPrincipal = createParamDecorator(
  (_data: unknown, ctx: ExecutionContext): Principal => {
    const principal = ctx.switchToHttp().getRequest<AuthenticatedRequest>().principal;
    if (!principal) throw new Error('CurrentPrincipal used on a route without authentication');
    return principal;
  },
);
