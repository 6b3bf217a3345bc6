import { type Server, createServer } from 'node:http';
import type { Logger } from 'pino';
import { EdgeSessions } from '../auth/edge-session';
import { SERVICE_HEADER } from '../haproxy/haproxy-config';
import { EdgeError, edgeErrors } from '../http/edge-error';
import { requestIdOf, sendError } from '../http/responses';

/**
 * The signed-URL exchange, the one request path HAProxy hands to the agent: a private
 * service opened with `?edge_token=` in a browser gets a 302 to the same URL without the
 * token and an HttpOnly cookie holding it; HAProxy verifies that cookie from then on.
 * Listens on a unix socket only HAProxy (and the agent's own user) can reach.
 */
export function createExchangeServer(sessions: EdgeSessions, logger: Logger): Server {
  return createServer((req, res) => {
    const requestId = requestIdOf(req);
    req.resume();
    try {
      const serviceId = req.headers[SERVICE_HEADER];
      const token = EdgeSessions.takeQueryToken(req);
      if (typeof serviceId !== 'string' || token === undefined) throw edgeErrors.invalidSignedUrl();
      const claims = sessions.verify(token, serviceId, 'query');
      const redirect = sessions.redirect(req, token, claims);
      res.writeHead(302, {
        Location: redirect.location,
        'Set-Cookie': redirect.setCookie,
        'Cache-Control': 'no-store',
        'X-Request-Id': requestId,
      });
      res.end();
    } catch (error) {
      if (!(error instanceof EdgeError))
        logger.error({ err: error, requestId }, 'signed-URL exchange failed');
      sendError(res, error instanceof EdgeError ? error : edgeErrors.internal(), requestId);
    }
  });
}
