import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'pg';
import pino, { type Logger } from 'pino';
import { ServiceTokenAuth } from './auth/service-token-auth';
import type { CollectorConfig, CollectorConfigOverrides } from './config/config.schema';
import { loadCollectorConfig } from './config/load-config';
import { HttpError, errors } from './http/http-error';
import { JSON_CONTENT_TYPE, requestIdOf, send, sendError } from './http/responses';
import { handleTraces } from './http/traces-handler';
import { RetentionJob } from './storage/retention';
import { SpanWriter } from './storage/span-writer';

export interface CreateCollectorOptions {
  /** A validated config; otherwise one is read from `env` (default process.env) and `overrides`. */
  readonly config?: CollectorConfig;
  readonly env?: NodeJS.ProcessEnv;
  readonly overrides?: CollectorConfigOverrides;
  /** A pool to use (and not end on close); otherwise one is opened from `database.url`. */
  readonly pool?: Pool;
  readonly logger?: Logger;
  /** Start the retention schedule (default true). */
  readonly retention?: boolean;
}

export interface Collector {
  readonly config: CollectorConfig;
  readonly server: Server;
  readonly port: number;
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly writer: SpanWriter;
  /** Deletes expired spans now; resolves with how many. */
  runRetention(): Promise<number>;
  /** Stops accepting, writes every accepted span, and closes the pool it opened. */
  close(): Promise<void>;
}

const READY_TIMEOUT_MS = 2000;
const SHUTDOWN_GRACE_MS = 10_000;
/** After an early answer, how many times the body limit is still read before closing. */
const DRAIN_BODIES = 4;

/** Starts the OTLP/HTTP trace receiver and resolves once it listens. */
export async function createCollector(options: CreateCollectorOptions = {}): Promise<Collector> {
  const config = options.config ?? loadCollectorConfig(options.env, options.overrides);
  const logger = options.logger ?? pino({ name: 'slipway-collector', level: config.log.level });
  const ownsPool = !options.pool;
  const pool =
    options.pool ??
    new Pool({
      connectionString: config.database.url,
      max: config.database.poolSize,
      connectionTimeoutMillis: 5000,
      application_name: 'slipway-collector',
    });
  pool.on('error', (error) => logger.warn({ err: error }, 'idle database connection failed'));

  const auth = new ServiceTokenAuth(pool, { secretKey: config.auth.secretKey });
  const writer = new SpanWriter(
    pool,
    {
      ...config.queue,
      // Leave a connection for token lookups and readiness checks.
      maxConcurrentFlushes: Math.max(1, Math.min(4, config.database.poolSize - 1)),
    },
    logger,
  );
  const retention = new RetentionJob(pool, { days: config.retention.days }, logger);
  let closing = false;
  // A client answered early may read only once it has sent its whole body: keep reading it,
  // up to a few bodies' worth and for a while, before closing (see sendError).
  const drain = { maxBytes: DRAIN_BODIES * config.http.maxBodyBytes, maxMs: config.http.drainMs };

  const server = createServer((req, res) => {
    const requestId = requestIdOf(req);
    res.setHeader('X-Request-Id', requestId);
    if (closing) res.setHeader('Connection', 'close');
    const path = (req.url ?? '/').split('?', 1)[0] ?? '/';
    const done = (error: unknown): void => {
      logger.error({ err: error, requestId }, 'request failed');
      sendError(res, errors.internal(), null, requestId, drain);
    };
    if (path === '/v1/traces') {
      handleTraces(req, res, requestId, {
        auth,
        writer,
        maxBodyBytes: config.http.maxBodyBytes,
        drain,
        logger,
        isClosing: () => closing,
      }).catch(done);
    } else if (path === '/healthz' || path === '/readyz') {
      probe(path, req.method ?? '').catch(done);
    } else {
      sendError(res, errors.notFound(path), null, requestId, drain);
    }

    async function probe(probePath: string, method: string): Promise<void> {
      if (method !== 'GET' && method !== 'HEAD') {
        sendError(res, errors.methodNotAllowed(method, 'GET'), null, requestId, drain);
        return;
      }
      if (probePath === '/healthz') {
        send(res, 200, JSON_CONTENT_TYPE, JSON.stringify({ status: 'ok' }));
        return;
      }
      const problem = closing ? 'shutting down' : await databaseProblem(pool);
      if (problem) {
        sendError(
          res,
          new HttpError(503, errors.databaseUnavailable().code, `Not ready: ${problem}`),
          null,
          requestId,
          drain,
        );
      } else send(res, 200, JSON_CONTENT_TYPE, JSON.stringify({ status: 'ready' }));
    }
  });
  // Slow or stalled uploads must not hold sockets forever.
  server.requestTimeout = 60_000;
  server.headersTimeout = 30_000;
  server.keepAliveTimeout = 65_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.http.port, () => {
      server.off('error', reject);
      resolve();
    });
  });
  if (options.retention !== false) retention.start();
  const port = (server.address() as AddressInfo).port;
  logger.info({ port }, 'collector listening');

  return {
    config,
    server,
    port,
    url: `http://127.0.0.1:${port}`,
    writer,
    runRetention: () => retention.runOnce(),
    async close() {
      if (closing) return;
      closing = true;
      // In-flight exports finish (their spans are written) before the writer closes.
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const grace = setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS);
      await closed;
      clearTimeout(grace);
      await writer.close();
      await retention.stop();
      if (ownsPool) await pool.end();
    },
  };
}

async function databaseProblem(pool: Pool): Promise<string | null> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      pool.query('SELECT 1'),
      new Promise((_, reject) => {
        timer = setTimeout(
          () => reject(new Error('the database did not answer in time')),
          READY_TIMEOUT_MS,
        );
      }),
    ]);
    return null;
  } catch (error) {
    return `database: ${(error as Error).message}`;
  } finally {
    clearTimeout(timer);
  }
}
