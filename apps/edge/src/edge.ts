import { mkdir, writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import {
  CHANNELS,
  CREDENTIAL_HASH_PURPOSE,
  EDGE_TOKEN_PURPOSE,
  deriveKey,
} from '@slipway/contracts';
import { Pool } from 'pg';
import pino, { type Logger } from 'pino';
import { ActivityReporter } from './activity/activity-reporter';
import { EdgeSessions } from './auth/edge-session';
import type { EdgeConfig, EdgeConfigOverrides } from './config/config.schema';
import { loadEdgeConfig } from './config/load-config';
import { createExchangeServer } from './exchange/exchange-server';
import { freePort, listenOnPort, listenOnSocket } from './net/listen';
import { commandConnection, subscribe } from './net/redis';
import { isRouted, parseAccessLogLine } from './haproxy/access-log-format';
import {
  ACTIVITY_TABLE,
  ACTIVITY_TABLE_EXPIRE_MS,
  FRONTEND,
  HAPROXY_KEY_ENV,
  type HaproxySettings,
  renderHaproxyConfig,
} from './haproxy/haproxy-config';
import { HOP_BY_HOP_LUA, errorFiles } from './haproxy/haproxy-files';
import { HaproxyMaps } from './haproxy/haproxy-maps';
import { HaproxyProcess, type StartOutcome } from './haproxy/haproxy-process';
import { RouteProjector } from './haproxy/route-projector';
import { MAP_NAMES, type MapEntries, type MapName, mapPaths, routeMaps } from './haproxy/maps';
import { KeySource } from './keys/key-source';
import { createAdminServer } from './observability/admin-server';
import { EdgeMetrics, UNROUTED } from './observability/metrics';
import { RouteSource } from './routing/route-source';
import { RouteTable } from './routing/route-table';
import { EdgeTelemetry } from './telemetry/edge-telemetry';
import { LogReceiver } from './telemetry/log-receiver';
import { createWake } from './wake/wake';

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
  /** The port HAProxy serves service hostnames on. */
  readonly port: number;
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly adminPort: number;
  /** `http://127.0.0.1:<admin port>`: /metrics, /healthz, /readyz. */
  readonly adminUrl: string;
  /** How this agent came to have its HAProxy: started, adopted from a previous agent, or replaced. */
  readonly haproxyStart: StartOutcome;
  /** HAProxy's pid. */
  haproxyPid(): number | undefined;
  /** Reloads every route and key from PostgreSQL now and hands them to HAProxy. */
  resync(): Promise<void>;
  /** Resolves once every route and key change so far has reached HAProxy. */
  synced(): Promise<void>;
  /** Writes the access logs HAProxy reported so far and the request metrics, the current bucket included. */
  flushTelemetry(): Promise<void>;
  /** Graceful stop: HAProxy stops accepting and drains (bounded), then the agent stops. */
  close(): Promise<void>;
  /** Stops the agent only, leaving HAProxy serving: what an agent restart looks like to traffic. */
  detach(): Promise<void>;
}

/** Starts the agent and its HAProxy; resolves once HAProxy serves every route and key. */
export async function createEdge(options: CreateEdgeOptions = {}): Promise<Edge> {
  const config = options.config ?? loadEdgeConfig(options.env, options.overrides);
  const logger = options.logger ?? pino({ name: 'slipway-edge', level: config.log.level });
  const runDir = config.haproxy.runDir;
  await mkdir(runDir, { recursive: true, mode: 0o700 });
  const errorDir = join(runDir, 'errors');
  await mkdir(errorDir, { recursive: true, mode: 0o700 });

  const pool = new Pool({
    connectionString: config.database.url,
    max: config.database.poolSize,
    connectionTimeoutMillis: 5000,
    application_name: 'slipway-edge',
  });
  pool.on('error', (error) => logger.warn({ err: error }, 'idle database connection failed'));

  const sockets = {
    admin: join(runDir, 'admin.sock'),
    accessLog: join(runDir, 'access-log.sock'),
    exchange: join(runDir, 'exchange.sock'),
    wake: join(runDir, 'wake.sock'),
  };
  // Port 0 (tests): HAProxy is given a port that was free a moment ago.
  const port = config.http.port === 0 ? await freePort(config.http.host) : config.http.port;
  const settings = haproxySettings(config, port, runDir, sockets, errorDir);
  const haproxy = new HaproxyProcess({
    binary: config.haproxy.binary,
    runDir,
    configFile: join(runDir, 'haproxy.cfg'),
    adminSocket: sockets.admin,
    env: {
      [HAPROXY_KEY_ENV.credential]: deriveKey(
        config.auth.secretKey,
        CREDENTIAL_HASH_PURPOSE,
      ).toString('base64'),
      [HAPROXY_KEY_ENV.edgeToken]: deriveKey(config.auth.secretKey, EDGE_TOKEN_PURPOSE).toString(
        'base64',
      ),
    },
    drainTimeoutMs: config.shutdown.drainTimeoutMs,
    logger,
  });
  const maps = new HaproxyMaps(haproxy.api, settings.maps);
  const routes = new RouteTable();
  const keys = new KeySource(pool, maps, config.keys, logger);
  const metrics = new EdgeMetrics();
  const telemetry = new EdgeTelemetry(pool, config.accessLog, metrics, logger);
  let closing = false;

  const projector = new RouteProjector(routes, maps, logger);
  let haproxyReady = false;
  const commands = commandConnection(config.redis.url, logger);
  const wake = createWake(config, routes, commands.redis, metrics, logger);
  const source = new RouteSource(routes, pool, config.routes, logger, () => {
    if (haproxyReady) void projector.project();
    wake.routesChanged();
  });

  const receiver = new LogReceiver(
    sockets.accessLog,
    (line) => {
      const record = parseAccessLogLine(line);
      if (!record) return;
      metrics.observeRequest(
        record.serviceId ?? UNROUTED,
        record.method,
        record.status,
        record.durationMs / 1000,
      );
      if (record.status === 101 && record.serviceId)
        metrics.observeUpgrade(record.serviceId, 'proxied');
      if (isRouted(record)) telemetry.record(record);
    },
    (error) => logger.warn({ err: error }, 'access-log stream from HAProxy failed'),
  );
  // The full state HAProxy starts with (or is brought to when adopted).
  const desiredMaps = async (): Promise<Record<MapName, MapEntries>> => {
    const keyEntries = await keys.snapshot();
    return {
      ...routeMaps(routes.all(), routes.deleted()),
      keys: keyEntries,
      hashes: new Map(),
      state: new Map([keys.validUntil()]),
    };
  };
  const haproxyConfig = renderHaproxyConfig(settings);
  await writeFile(settings.luaFile, HOP_BY_HOP_LUA, { mode: 0o600 });
  for (const [name, text] of Object.entries(errorFiles())) {
    await writeFile(join(errorDir, name), text, { mode: 0o600 });
  }
  await writeFile(join(runDir, 'haproxy.cfg'), haproxyConfig, { mode: 0o600 });

  let haproxyStart: StartOutcome;
  // HAProxy's request count and the lines received when it (re)started: each request writes
  // one line once it ends, so the two advance together.
  let logBase = { requests: 0, lines: 0 };
  const bringUp = async (): Promise<StartOutcome> => {
    const desired = await desiredMaps();
    // A fresh HAProxy loads these files; an adopted one already runs and is brought to them.
    await maps.writeFiles(desired);
    const outcome = await haproxy.start(haproxyConfig);
    if (outcome === 'adopted') {
      for (const name of MAP_NAMES) await maps.replace(name, desired[name]);
    }
    logBase = { requests: await haproxy.api.frontendRequests(FRONTEND), lines: receiver.received };
    return outcome;
  };
  /** Waits for the lines of every request HAProxy received so far (bounded: tunnels last). */
  const linesCaughtUp = async (): Promise<void> => {
    const requests = await haproxy.api.frontendRequests(FRONTEND).catch(() => logBase.requests);
    await receiver.receivedAtLeast(logBase.lines + requests - logBase.requests);
  };

  // The message says which key; reading every change since the last read covers it and more.
  const refreshKeys = (): void => {
    // Before HAProxy runs, its start reads every key anyway.
    if (!haproxyReady) return;
    keys.refresh().catch((error: unknown) => logger.warn({ err: error }, 'key refresh failed'));
  };
  // Subscribed before the first read of routes and keys, so no change published while the
  // edge starts is lost (versions order a message and a read that both carry it).
  const subscriber = subscribe(config.redis.url, logger, {
    [CHANNELS.routes]: (payload) => source.handleMessage(payload),
    [CHANNELS.accessKeyRevocations]: refreshKeys,
    [CHANNELS.accessKeysCreated]: refreshKeys,
    onReconnect: () => {
      // Whatever was published while disconnected is lost: read the truth again.
      source.resync().catch((error: unknown) => logger.warn({ err: error }, 'resync failed'));
      refreshKeys();
    },
  });

  await Promise.race([
    Promise.all([subscriber.subscribed, commands.ready]),
    sleep(SUBSCRIBE_WAIT_MS),
  ]);
  const exchange = createExchangeServer(new EdgeSessions(config.auth), logger);
  // What has been started, undone in reverse when a later step of the start fails.
  const started: (() => Promise<void> | void)[] = [
    () => pool.end(),
    () => subscriber.redis.disconnect(),
    () => commands.redis.disconnect(),
  ];
  try {
    await receiver.listen();
    started.push(() => receiver.close());
    await listenOnSocket(exchange, sockets.exchange);
    started.push(() => new Promise<void>((resolve) => exchange.close(() => resolve())));
    await listenOnSocket(wake.server, sockets.wake);
    started.push(() => closeServer(wake.server));

    await source.start();
    started.push(() => source.stop());
    haproxyStart = await bringUp();
    started.push(() => haproxy.stop());
    haproxyReady = true;
    await projector.project();
  } catch (error) {
    for (const undo of started.reverse()) await Promise.resolve(undo()).catch(() => undefined);
    throw error;
  }
  const restart = (): void => {
    if (closing) return;
    bringUp()
      .then(() => haproxy.watch(restart))
      .catch((error: unknown) => {
        logger.error({ err: error }, 'HAProxy could not be started again; retrying');
        setTimeout(restart, 1000).unref();
      });
  };
  haproxy.watch(restart);
  keys.start();
  telemetry.start();
  const activity = new ActivityReporter(
    haproxy.api,
    commands.redis,
    {
      edgeId: config.activity.edgeId,
      intervalMs: config.activity.intervalMs,
      table: ACTIVITY_TABLE,
      tableExpireMs: ACTIVITY_TABLE_EXPIRE_MS,
    },
    logger,
  );
  activity.start();

  const admin = createAdminServer({
    metrics,
    isReady: () => !closing && source.ready && haproxy.processId !== undefined,
    describe: () => ({ routes: routes.size, keys: maps.entries('keys').size }),
  });
  await listenOnPort(admin, config.admin.port, config.http.host);
  const adminPort = (admin.address() as AddressInfo).port;
  logger.info({ port, adminPort, routes: routes.size, haproxy: haproxyStart }, 'edge serving');

  let stopped: Promise<void> | undefined;
  const stopAgent = async (stopHaproxy: boolean): Promise<void> => {
    closing = true;
    source.stop();
    keys.stop();
    subscriber.redis.disconnect();
    // Held requests cannot outlive the agent that would release them.
    wake.close();
    // A full stop takes this edge's activity away now; an agent restart lets it expire.
    await activity.stop(stopHaproxy);
    commands.redis.disconnect();
    if (stopHaproxy) await haproxy.stop();
    else haproxy.detach();
    await new Promise<void>((resolve) => admin.close(() => resolve()));
    admin.closeAllConnections();
    await new Promise<void>((resolve) => exchange.close(() => resolve()));
    await closeServer(wake.server);
    // After HAProxy's last lines arrived, so those requests' rows are written too.
    if (!stopHaproxy) await linesCaughtUp();
    await receiver.close();
    await telemetry.stop();
    await pool.end();
    logger.info(stopHaproxy ? 'edge stopped' : 'agent stopped; HAProxy left serving');
  };

  return {
    config,
    routes,
    port,
    url: `http://127.0.0.1:${port}`,
    adminPort,
    adminUrl: `http://127.0.0.1:${adminPort}`,
    haproxyStart,
    haproxyPid: () => haproxy.processId,
    async resync() {
      await source.resync();
      await keys.refresh();
      await projector.project();
    },
    async synced() {
      await projector.settled();
      await maps.settled();
    },
    async flushTelemetry() {
      await linesCaughtUp();
      await telemetry.flush();
    },
    close() {
      stopped ??= stopAgent(true);
      return stopped;
    },
    detach() {
      stopped ??= stopAgent(false);
      return stopped;
    },
  };
}

function haproxySettings(
  config: EdgeConfig,
  port: number,
  runDir: string,
  sockets: HaproxySettings['sockets'],
  errorFileDir: string,
): HaproxySettings {
  return {
    bind: { host: config.http.host, port },
    maps: mapPaths(runDir),
    sockets,
    luaFile: join(runDir, 'hop-by-hop.lua'),
    errorFileDir,
    threads: config.haproxy.threads,
    maxConnections: config.haproxy.maxConnections,
    trustProxy: config.http.trustProxy,
    maxBodyBytes: config.http.maxBodyBytes,
    maxHeaderBytes: config.http.maxHeaderBytes,
    connectTimeoutMs: config.upstream.connectTimeoutMs,
    responseTimeoutMs: config.upstream.responseTimeoutMs,
    websocketIdleTimeoutMs: config.upstream.websocketIdleTimeoutMs,
    wakeTimeoutMs: config.wake.timeoutMs,
    drainTimeoutMs: config.shutdown.drainTimeoutMs,
    accessLogRingBytes: config.accessLog.ringBytes,
  };
}

/** How long the start waits for Redis; without it, the periodic reads carry every change. */
const SUBSCRIBE_WAIT_MS = 2000;

/** Stops accepting; connections a refused held request left open are closed. */
function closeServer(server: Server): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeAllConnections();
  return closed;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
