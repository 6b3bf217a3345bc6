import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { type Request } from 'express';

/**
 * `scheme://host` the request came to (behind a proxy, as `X-Forwarded-*` say when
 * `SLIPWAY_TRUST_PROXY` trusts it): the API's public address when none is configured.
 */
export const RequestOrigin = createParamDecorator((_data: unknown, context: ExecutionContext) => {
  const req = context.switchToHttp().getRequest<Request>();
  return `${req.protocol}://${req.get('host') ?? 'localhost'}`;
});
