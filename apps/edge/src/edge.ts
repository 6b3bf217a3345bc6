import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { CHANNELS } from '@slipway/contracts';
import Redis from 'ioredis';
import { Pool } from 'pg';
import pino, { type Logger } from 'pino';
import { AccessKeyVerifier } from './auth/access-key-verifier';
import { type Admission, admit } from './auth/admission';
import { EdgeSessions, withoutSessionCookie } from './auth/edge-session';
import type { EdgeConfig, EdgeConfigOverrides } from './config/config.schema';
import { loadEdgeConfig } from './config/load-config';
import { EdgeError, edgeErrors } from './http/edge-error';
import { requestIdOf, sendError, writeSocketError } from './http/responses';
import { EdgeMetrics, UNROUTED } from './observability/metrics';
import { addForwarded, endToEndHeaders } from './proxy/headers';
import {
  HttpProxy,
  REQUEST_FIELDS_DROPPED,
  type TransferMeter,
  toEdgeError,
} from './proxy/http-proxy';
import { CLIENT_CLOSED, WebSocketProxy } from './proxy/websocket-proxy';
import { RouteSource } from './routing/route-source';
import { RouteTable } from './routing/route-table';
import { createAdminServer } from './observability/admin-server';
import { pathOf, userAgentOf } from './telemetry/access-log-store';
import { EdgeTelemetry } from './telemetry/edge-telemetry';

export interface CreateEdgeOptions {
  /** A validated config; otherwise one is read from `env` (default process.env) and `overrides`. */
  readonly config?: EdgeConfig;
  readonly env?: NodeJS.ProcessEnv;
  readonly overrides?: EdgeConfigOverrides;
  readonly logger?: Logger;
}

export interface Edge {
  readonly config: EdgeConfig;
  readonly routes: RouteTable;
  readonly server: Server;
  readonly port: number;
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly adminPort: number;
  /** `http://127.0.0.1:<admin port>`: /metrics, /healthz, /readyz. */
  readonly adminUrl: string;
  /** Reloads every route from PostgreSQL now. */
  resync(): Promise<void>;
  /** Writes buffered access logs and request metrics now, the current 10 s bucket included. */
  flushTelemetry(): Promise<void>;
  /** Stops accepting, drains in-flight requests and WebSockets (bounded), then closes. */
  close(): Promise<void>;
}

/** Starts the edge (proxy and admin ports) and resolves once both listen. */
export async function createEdge(options: CreateEdgeOptions = {}): Promise<Edge> {
  const config = options.config ?? loadEdgeConfig(options.env, options.overrides);
  const logger = options.logger ?? pino({ name: 'slipway-edge', level: config.log.level });

  const pool = new Pool({
    connectionString: config.database.url,
    max: config.database.poolSize,
    connectionTimeoutMillis: 5000,
    application_name: 'slipway-edge',
  });
  pool.on('error', (error) => logger.warn({ err: error }, 'idle database connection failed'));

  const routes = new RouteTable();
  const source = new RouteSource(routes, pool, config.routes, logger);
  const verifier = new AccessKeyVerifier(pool, config.auth, logger);
  const credentials = { verifier, sessions: new EdgeSessions(config.auth) };
  const metrics = new EdgeMetrics();
  const telemetry = new EdgeTelemetry(pool, config.accessLog, metrics, logger);
  const httpProxy = new HttpProxy({ ...config.upstream, maxBodyBytes: config.http.maxBodyBytes });
  const wsProxy = new WebSocketProxy({
    connectTimeoutMs: config.upstream.connectTimeoutMs,
    idleTimeoutMs: config.upstream.websocketIdleTimeoutMs,
  });
  let closing = false;

  const subscriber = subscribe(config.redis.url, logger, {
    [CHANNELS.routes]: (payload) => source.handleMessage(payload),
    [CHANNELS.accessKeyRevocations]: (payload) => verifier.handleRevocation(payload),
    onReconnect: () => {
      // Whatever was published while disconnected is lost: read the truth again.
      verifier.clear();
      source.resync().catch((error: unknown) => logger.warn({ err: error }, 'resync failed'));
    },
  });

  const upstreamHeaders = (req: IncomingMessage, requestId: string, keepUpgrade: boolean) =>
    addForwarded(
      withoutSessionCookie(endToEndHeaders(req.headers, REQUEST_FIELDS_DROPPED, keepUpgrade)),
      {
        clientIp: clientIpOf(req.socket),
        proto: 'http',
        host: req.headers.host ?? '',
        requestId,
        trustProxy: config.http.trustProxy,
      },
    );

  const report = (error: EdgeError, requestId: string, route: string): void => {
    if (error.status >= 500 && error.status !== 503) {
      logger.warn({ err: error.cause ?? error, requestId, service: route }, error.message);
    } else if (error.status === 503 && error.cause) {
      logger.error({ err: error.cause, requestId }, error.message);
    }
  };

  const server = createServer(
    { maxHeaderSize: config.http.maxHeaderBytes, requestTimeout: 0 },
    (req: IncomingMessage, res: ServerResponse) => {
      const startedAt = process.hrtime.bigint();
      const arrivedAt = new Date();
      // Read now: by the time the response closes, the socket may be detached from it.
      const clientIp = clientIpOf(req.socket) || null;
      const requestId = requestIdOf(req);
      const meter: TransferMeter = { bytesIn: 0, bytesOut: 0 };
      let service = UNROUTED;
      res.on('close', () => {
        const seconds = Number(process.hrtime.bigint() - startedAt) / 1e9;
        metrics.observeRequest(service, req.method ?? 'GET', res.statusCode, seconds);
        if (service === UNROUTED) return;
        telemetry.record({
          time: arrivedAt,
          serviceId: service,
          method: req.method ?? 'GET',
          path: pathOf(req.url),
          status: res.headersSent ? res.statusCode : CLIENT_CLOSED,
          durationMs: seconds * 1000,
          bytesIn: meter.bytesIn,
          bytesOut: meter.bytesOut,
          clientIp,
          userAgent: userAgentOf(req.headers['user-agent']),
          requestId,
        });
      });
      // The edge's own response fields. Every answer passes them to writeHead; nothing is set
      // on `res` beforehand, so a proxied response's fields are stored without a copy.
      const own = closing
        ? ['x-request-id', requestId, 'connection', 'close']
        : ['x-request-id', requestId];

      const fail = (caught: unknown): void => {
        const error = toEdgeError(caught);
        report(error, requestId, service);
        // A body left unread cannot share the connection with the next request.
        if (error.status === 413 || closing) res.setHeader('Connection', 'close');
        // The edge's own answer is not metered as it passes: its length is known (0 when a
        // started response is cut instead, keeping the bytes already relayed).
        meter.bytesOut += sendError(res, error, requestId);
      };
      const proceed = ({ route, redirect }: Admission): Promise<void> | undefined => {
        service = route.serviceId;
        if (redirect) {
          req.resume();
          res.writeHead(302, [
            'location',
            redirect.location,
            'set-cookie',
            redirect.setCookie,
            'cache-control',
            'no-store',
            ...own,
          ]);
          res.end();
          return undefined;
        }
        return httpProxy.forward({
          req,
          res,
          headers: upstreamHeaders(req, requestId, false),
          responseHeaders: own,
          pick: () => routes.pick(routes.lookup(route.hostnames[0] ?? '') ?? route),
          meter,
        });
      };
      try {
        const admission = admit(req, routes, credentials);
        const forwarded =
          admission instanceof Promise ? admission.then(proceed) : proceed(admission);
        forwarded?.catch(fail);
      } catch (error) {
        fail(error);
      }
    },
  );
  // Uploads may be long; the upstream timeouts bound what matters.
  server.headersTimeout = 30_000;
  server.keepAliveTimeout = 65_000;
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    const tooLarge = error.code === 'HPE_HEADER_OVERFLOW';
    writeSocketError(
      socket,
      tooLarge
        ? edgeErrors.headersTooLarge(config.http.maxHeaderBytes)
        : new EdgeError(400, 'bad_request', 'The request is not valid HTTP/1.1'),
      requestIdOf({ headers: {} } as IncomingMessage),
    );
  });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const startedAt = process.hrtime.bigint();
    const arrivedAt = new Date();
    const clientIp = clientIpOf(req.socket) || null;
    const requestId = requestIdOf(req);
    socket.on('error', () => socket.destroy());
    if (closing) {
      writeSocketError(socket, edgeErrors.shuttingDown(), requestId);
      return;
    }
    // A tunnel lives long: one promise more to reach it costs nothing.
    Promise.resolve()
      .then(() => admit(req, routes, credentials, true))
      .then(({ route }) => {
        const endpoint = routes.pick(route);
        if (!endpoint) throw edgeErrors.noReadyInstance();
        metrics.observeUpgrade(route.serviceId, 'proxied');
        wsProxy.forward(
          req,
          socket,
          head,
          endpoint,
          upstreamHeaders(req, requestId, true),
          requestId,
          (outcome) => {
            const ms = Number(process.hrtime.bigint() - startedAt) / 1e6;
            telemetry.record({
              time: arrivedAt,
              serviceId: route.serviceId,
              method: req.method ?? 'GET',
              path: pathOf(req.url),
              status: outcome.status,
              durationMs: ms,
              bytesIn: outcome.bytesIn,
              bytesOut: outcome.bytesOut,
              clientIp,
              userAgent: userAgentOf(req.headers['user-agent']),
              requestId,
            });
          },
        );
      })
      .catch((caught: unknown) => {
        const error = toEdgeError(caught);
        report(error, requestId, UNROUTED);
        metrics.observeUpgrade(UNROUTED, 'refused');
        writeSocketError(socket, error, requestId);
      });
  });

  const admin = createAdminServer({
    metrics,
    isReady: () => !closing && source.ready && subscriber.status === 'ready',
    describe: () => ({ routes: routes.size, websockets: wsProxy.size }),
  });

  await source.start();
  telemetry.start();
  await listen(server, config.http.port, config.http.host);
  await listen(admin, config.admin.port, config.http.host);
  const port = (server.address() as AddressInfo).port;
  const adminPort = (admin.address() as AddressInfo).port;
  logger.info({ port, adminPort, routes: routes.size }, 'edge listening');

  let closed: Promise<void> | undefined;
  return {
    config,
    routes,
    server,
    port,
    url: `http://127.0.0.1:${port}`,
    adminPort,
    adminUrl: `http://127.0.0.1:${adminPort}`,
    resync: () => source.resync(),
    flushTelemetry: () => telemetry.flush(),
    close() {
      closed ??= (async () => {
        closing = true;
        source.stop();
        const drained = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        const deadline = Date.now() + config.shutdown.drainTimeoutMs;
        const cut = setTimeout(() => {
          server.closeAllConnections();
          wsProxy.destroyAll();
        }, config.shutdown.drainTimeoutMs);
        await drained;
        while (wsProxy.size > 0 && Date.now() < deadline) {
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        clearTimeout(cut);
        wsProxy.destroyAll();
        await new Promise<void>((resolve) => admin.close(() => resolve()));
        admin.closeAllConnections();
        subscriber.disconnect();
        await httpProxy.close();
        // After the drain, so the last requests' rows are in it.
        await telemetry.stop();
        await pool.end();
        logger.info('edge stopped');
      })();
      return closed;
    },
  };
}

type Handlers = Record<string, (payload: string) => void> & { onReconnect: () => void };

/** A Redis connection in subscriber mode; ioredis resubscribes after every reconnect. */
function subscribe(url: string, logger: Logger, handlers: Handlers): Redis {
  const { onReconnect, ...channels } = handlers;
  const redis = new Redis(url, {
    // Subscriptions must survive outages: keep retrying, never give up on commands.
    maxRetriesPerRequest: null,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
  });
  let readyBefore = false;
  redis.on('error', (error: Error) => logger.warn(`Redis: ${error.message}`));
  redis.on('ready', () => {
    if (readyBefore) onReconnect();
    readyBefore = true;
  });
  redis.on('message', (channel: string, payload: string) => channels[channel]?.(payload));
  redis
    .subscribe(...Object.keys(channels))
    .catch((error: unknown) => logger.warn({ err: error }, 'Redis subscription failed'));
  return redis;
}

function clientIpOf(socket: Socket): string {
  const address = socket.remoteAddress ?? '';
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}
