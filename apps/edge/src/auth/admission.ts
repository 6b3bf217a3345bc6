import type { IncomingMessage } from 'node:http';
import { edgeErrors } from '../http/edge-error';
import { hostnameOf } from '../routing/host';
import type { Route, RouteTable } from '../routing/route-table';
import { AccessKeyVerifier, keyMayCall } from './access-key-verifier';

const BEARER = /^Bearer +(\S+)\s*$/i;

/**
 * Decides whether a request may reach a service: which service its Host names, and for a
 * private one whether its Access Key may call it. Throws the EdgeError to answer otherwise.
 * Returns the route with its endpoints still to be picked (the caller knows when).
 */
export async function admit(
  req: IncomingMessage,
  table: RouteTable,
  verifier: AccessKeyVerifier,
): Promise<Route> {
  const hostname = hostnameOf(req.headers.host);
  if (!hostname) throw edgeErrors.missingHost();
  const route = table.lookup(hostname);
  if (!route) throw edgeErrors.unknownHost(hostname);
  if (route.accessType === 'private') await authorize(req.headers.authorization, route, verifier);
  if (route.paused) throw edgeErrors.paused();
  if (route.endpoints.length === 0) throw edgeErrors.noReadyInstance();
  return route;
}

async function authorize(
  header: string | undefined,
  route: Route,
  verifier: AccessKeyVerifier,
): Promise<void> {
  if (!header) {
    throw edgeErrors.unauthorized(
      'This service is private: send an Access Key as Authorization: Bearer <key>',
    );
  }
  const token = BEARER.exec(header)?.[1];
  if (!token || !AccessKeyVerifier.looksLikeKey(token)) {
    throw edgeErrors.unauthorized('The Authorization header must be Bearer <Access Key>');
  }
  let verification;
  try {
    verification = await verifier.verify(token);
  } catch (error) {
    throw Object.assign(edgeErrors.authUnavailable(), { cause: error });
  }
  if (!verification.ok) throw edgeErrors.unauthorized('The Access Key is not valid');
  if (!keyMayCall(verification.key, route)) throw edgeErrors.forbidden();
}
