import type { IncomingMessage } from 'node:http';
import { edgeErrors } from '../http/edge-error';
import { hostnameOf } from '../routing/host';
import type { Route, RouteTable } from '../routing/route-table';
import { AccessKeyVerifier, type Verification, keyMayCall } from './access-key-verifier';
import { EdgeSessions, type SessionRedirect } from './edge-session';

const BEARER = /^Bearer +(\S+)\s*$/i;

/** What the edge does with an admitted request. */
export interface Admission {
  readonly route: Route;
  /** A signed URL was opened: answer this redirect (with its cookie) instead of proxying. */
  readonly redirect?: SessionRedirect;
}

export interface Credentials {
  readonly verifier: AccessKeyVerifier;
  readonly sessions: EdgeSessions;
}

/**
 * Decides whether a request may reach a service: which service its Host names, and for a
 * private one whether its credential admits it: a signed URL's token, an Access Key, or the
 * cookie a signed URL left. Throws the EdgeError to answer otherwise. Returns the route with
 * its endpoints still to be picked (the caller knows when). An `edge_token` query parameter
 * is always taken out of `req.url`, so no instance or log sees it.
 *
 * Answers synchronously unless an Access Key has to be looked up: most requests never wait
 * for a promise here.
 */
export function admit(
  req: IncomingMessage,
  table: RouteTable,
  credentials: Credentials,
  upgrade = false,
): Admission | Promise<Admission> {
  const queryToken = EdgeSessions.takeQueryToken(req);
  const hostname = hostnameOf(req.headers.host);
  if (!hostname) throw edgeErrors.missingHost();
  const route = table.lookup(hostname);
  if (!route) throw edgeErrors.unknownHost(hostname);
  if (route.accessType === 'private') {
    const { sessions } = credentials;
    if (queryToken !== undefined) {
      const claims = sessions.verify(queryToken, route.serviceId, 'query');
      // A browser gets the cookie even while no instance is ready; it retries the URL itself.
      if (!upgrade) return { route, redirect: sessions.redirect(req, queryToken, claims) };
    } else if (req.headers.authorization !== undefined) {
      const pending = authorize(req.headers.authorization, route, credentials.verifier);
      if (pending) return pending.then(() => servable(route));
    } else {
      const cookieToken = EdgeSessions.cookieToken(req.headers.cookie);
      if (cookieToken === undefined) {
        throw edgeErrors.unauthorized(
          'This service is private: send an Access Key as Authorization: Bearer <key>, or open a signed URL',
        );
      }
      sessions.verify(cookieToken, route.serviceId, 'cookie');
    }
  }
  return servable(route);
}

/** The route, when it has something to answer with. */
function servable(route: Route): Admission {
  if (route.paused) throw edgeErrors.paused();
  if (route.endpoints.length === 0) throw edgeErrors.noReadyInstance();
  return { route };
}

/** Throws unless the key may call the route; a promise when the key had to be looked up. */
function authorize(
  header: string,
  route: Route,
  verifier: AccessKeyVerifier,
): Promise<void> | undefined {
  const token = BEARER.exec(header)?.[1];
  if (!token || !AccessKeyVerifier.looksLikeKey(token)) {
    throw edgeErrors.unauthorized('The Authorization header must be Bearer <Access Key>');
  }
  const verification = verifier.verify(token);
  if (!(verification instanceof Promise)) return judge(verification, route);
  return verification.then(
    (looked) => judge(looked, route),
    (error: unknown) => {
      throw Object.assign(edgeErrors.authUnavailable(), { cause: error });
    },
  );
}

function judge(verification: Verification, route: Route): undefined {
  if (!verification.ok) throw edgeErrors.unauthorized('The Access Key is not valid');
  if (!keyMayCall(verification.key, route)) throw edgeErrors.forbidden();
  return undefined;
}
