import { type IncomingMessage, type Server, createServer } from 'node:http';
import type { Duplex } from 'node:stream';
import { type EdgeError, edgeErrors } from '../http/edge-error';
import { rawErrorResponse, requestIdOf, sendError } from '../http/responses';
import type { Endpoint } from '../routing/route-table';
import { SERVICE_HEADER } from '../haproxy/haproxy-config';
import { type ForwardOptions, forwardRequest, forwardUpgrade, refuseUpgrade } from './forward';
import type { WakeHolds } from './wake-holds';
import type { WakeState } from './wake-state';

export interface WakeServerOptions {
  readonly holds: WakeHolds;
  /** The service's state now, from the agent's route table. */
  readonly stateOf: (serviceId: string) => WakeState;
  readonly forward: ForwardOptions;
}

/**
 * Where HAProxy sends a sleeping service's requests once they passed every check: each is
 * held until the service wakes, then proxied by the agent to a ready instance (WebSocket
 * upgrades too), or answered 503. HAProxy logs each with the status the agent gave. Listens
 * on a unix socket only HAProxy (and the agent's own user) can reach; one request per
 * connection (HAProxy's `http-server-close`), so a closed connection is a request given up.
 */
export function createWakeServer({ holds, stateOf, forward }: WakeServerOptions): Server {
  const server = createServer((req, res) => {
    const requestId = requestIdOf(req);
    admit(holds, stateOf, req, req.socket, {
      release: (endpoint) => forwardRequest(req, res, endpoint, requestId, forward),
      refuse: (error) => sendError(res, error, requestId),
      invalid: () => {
        req.resume();
        sendError(res, edgeErrors.badGateway(), requestId);
      },
    });
  });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const requestId = requestIdOf(req);
    socket.on('error', () => socket.destroy());
    admit(holds, stateOf, req, socket, {
      release: (endpoint) => forwardUpgrade(req, socket, head, endpoint, requestId, forward),
      refuse: (error) => refuseUpgrade(socket, rawErrorResponse(error, requestId)),
      invalid: () => refuseUpgrade(socket, rawErrorResponse(edgeErrors.badGateway(), requestId)),
    });
  });
  // HAProxy bounds every request (the wake backend's server timeout covers the wait); a held
  // request's body is read only once it is released.
  server.requestTimeout = 0;
  return server;
}

function admit(
  holds: WakeHolds,
  stateOf: (serviceId: string) => WakeState,
  req: IncomingMessage,
  connection: Duplex,
  settle: {
    release(endpoint: Endpoint): void;
    refuse(error: EdgeError): void;
    invalid(): void;
  },
): void {
  const serviceId = req.headers[SERVICE_HEADER];
  if (typeof serviceId !== 'string' || serviceId === '') {
    settle.invalid();
    return;
  }
  let settled = false;
  const cancel = holds.admit(serviceId, stateOf(serviceId), {
    release: (endpoint) => {
      settled = true;
      connection.off('close', onClose);
      settle.release(endpoint);
    },
    refuse: (error) => {
      settled = true;
      connection.off('close', onClose);
      settle.refuse(error);
    },
  });
  function onClose(): void {
    if (!settled) cancel?.();
  }
  if (!cancel || settled) return;
  if (connection.destroyed) cancel();
  else connection.once('close', onClose);
}
