import { DEVELOPMENT_SECRET_KEY, edgeActivityKey } from '@slipway/contracts';
import { ConfigError, defaultEdgeId, loadEdgeConfig, redactConfig } from './load-config';

const KEY = 'edge-test-secret-key-at-least-32-characters';

function problemsOf(env: NodeJS.ProcessEnv): string {
  try {
    loadEdgeConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.join('\n');
    throw error;
  }
  throw new Error('the config was accepted');
}

describe('loadEdgeConfig', () => {
  it('applies the documented defaults', () => {
    const config = loadEdgeConfig({});
    expect(config.http).toEqual({
      port: 8000,
      host: '0.0.0.0',
      trustProxy: false,
      maxBodyBytes: 1024 * 1024 * 1024,
      maxHeaderBytes: 16 * 1024,
    });
    expect(config.admin.port).toBe(8001);
    expect(config.auth).toEqual({ secretKey: DEVELOPMENT_SECRET_KEY, secureCookie: false });
    expect(config.keys).toEqual({
      pollIntervalMs: 250,
      trustForMs: 1000,
      fullReadIntervalMs: 60_000,
    });
    expect(config.haproxy).toEqual({
      binary: 'haproxy',
      runDir: '/tmp/slipway-edge',
      threads: 2,
      maxConnections: 0,
    });
    expect(config.upstream).toEqual({
      connectTimeoutMs: 5000,
      responseTimeoutMs: 60_000,
      websocketIdleTimeoutMs: 300_000,
    });
    expect(config.routes.resyncIntervalMs).toBe(30_000);
    expect(config.accessLog).toEqual({
      batchSize: 500,
      flushIntervalMs: 1000,
      bufferRows: 50_000,
      retentionDays: 7,
      ringBytes: 64 * 1024 * 1024,
    });
    expect(config.shutdown.drainTimeoutMs).toBe(10_000);
    expect(config.wake).toEqual({ queueLimit: 1000, timeoutMs: 60_000 });
    expect(config.activity).toEqual({ intervalMs: 1000, edgeId: defaultEdgeId() });
    expect(() => edgeActivityKey(config.activity.edgeId)).not.toThrow();
    expect(Object.isFrozen(config.upstream)).toBe(true);
  });

  it('reads every variable from the environment', () => {
    const config = loadEdgeConfig({
      EDGE_PORT: '18000',
      EDGE_ADMIN_PORT: '18001',
      SLIPWAY_EDGE_TRUST_PROXY: 'true',
      SLIPWAY_EDGE_MAX_BODY_BYTES: '2048',
      SLIPWAY_EDGE_MAX_HEADER_BYTES: '4096',
      DATABASE_URL: 'postgres://u:p@db:5432/x',
      SLIPWAY_EDGE_DB_POOL_SIZE: '2',
      REDIS_URL: 'redis://cache:6379',
      SLIPWAY_SECRET_KEY: KEY,
      SLIPWAY_EDGE_KEY_POLL_INTERVAL_MS: '100',
      SLIPWAY_EDGE_KEY_TRUST_MS: '800',
      SLIPWAY_EDGE_KEY_FULL_READ_INTERVAL_MS: '5000',
      SLIPWAY_EDGE_HAPROXY_BINARY: '/usr/local/sbin/haproxy',
      SLIPWAY_EDGE_RUN_DIR: '/run/edge',
      SLIPWAY_EDGE_THREADS: '4',
      SLIPWAY_EDGE_MAX_CONNECTIONS: '1000',
      SLIPWAY_EDGE_SECURE_COOKIES: 'true',
      SLIPWAY_EDGE_CONNECT_TIMEOUT_MS: '100',
      SLIPWAY_EDGE_RESPONSE_TIMEOUT_MS: '200',
      SLIPWAY_EDGE_WEBSOCKET_IDLE_TIMEOUT_MS: '300',
      SLIPWAY_EDGE_ROUTE_RESYNC_INTERVAL_MS: '400',
      SLIPWAY_EDGE_DRAIN_TIMEOUT_MS: '500',
      SLIPWAY_EDGE_ACCESS_LOG_BATCH_SIZE: '50',
      SLIPWAY_EDGE_ACCESS_LOG_FLUSH_INTERVAL_MS: '250',
      SLIPWAY_EDGE_ACCESS_LOG_BUFFER_ROWS: '1000',
      SLIPWAY_ACCESS_LOG_RETENTION_DAYS: '30',
      SLIPWAY_EDGE_WAKE_QUEUE_LIMIT: '10',
      SLIPWAY_EDGE_WAKE_TIMEOUT_MS: '2000',
      SLIPWAY_EDGE_ACTIVITY_INTERVAL_MS: '250',
      SLIPWAY_EDGE_ID: 'edge-a.1',
      LOG_LEVEL: 'warn',
    });
    expect(config.wake).toEqual({ queueLimit: 10, timeoutMs: 2000 });
    expect(config.activity).toEqual({ intervalMs: 250, edgeId: 'edge-a.1' });
    expect(config.accessLog).toMatchObject({
      batchSize: 50,
      flushIntervalMs: 250,
      bufferRows: 1000,
      retentionDays: 30,
    });
    expect(config.http).toMatchObject({
      port: 18000,
      trustProxy: true,
      maxBodyBytes: 2048,
      maxHeaderBytes: 4096,
    });
    expect(config.admin.port).toBe(18001);
    expect(config.database).toEqual({ url: 'postgres://u:p@db:5432/x', poolSize: 2 });
    expect(config.redis.url).toBe('redis://cache:6379');
    expect(config.auth).toEqual({ secretKey: KEY, secureCookie: true });
    expect(config.keys).toEqual({ pollIntervalMs: 100, trustForMs: 800, fullReadIntervalMs: 5000 });
    expect(config.haproxy).toEqual({
      binary: '/usr/local/sbin/haproxy',
      runDir: '/run/edge',
      threads: 4,
      maxConnections: 1000,
    });
    expect(config.upstream).toEqual({
      connectTimeoutMs: 100,
      responseTimeoutMs: 200,
      websocketIdleTimeoutMs: 300,
    });
    expect(config.routes.resyncIntervalMs).toBe(400);
    expect(config.shutdown.drainTimeoutMs).toBe(500);
    expect(config.log.level).toBe('warn');
  });

  it('lists every problem at once', () => {
    const problems = problemsOf({
      NODE_ENV: 'production',
      EDGE_PORT: 'http',
      SLIPWAY_EDGE_TRUST_PROXY: 'maybe',
      DATABASE_URL: 'mysql://db',
      REDIS_URL: 'localhost:6379',
      SLIPWAY_EDGE_KEY_TRUST_MS: '60000',
      SLIPWAY_EDGE_CONNECT_TIMEOUT_MS: '0',
      SLIPWAY_EDGE_WAKE_QUEUE_LIMIT: '0',
      SLIPWAY_EDGE_WAKE_TIMEOUT_MS: 'soon',
      SLIPWAY_EDGE_ACTIVITY_INTERVAL_MS: '50',
      SLIPWAY_EDGE_ID: 'edge one',
      LOG_LEVEL: 'loud',
    });
    expect(problems).toMatch(/SLIPWAY_EDGE_WAKE_QUEUE_LIMIT \(wake.queueLimit\)/);
    expect(problems).toMatch(/SLIPWAY_EDGE_WAKE_TIMEOUT_MS: must be a whole number/);
    expect(problems).toMatch(/SLIPWAY_EDGE_ACTIVITY_INTERVAL_MS \(activity.intervalMs\)/);
    expect(problems).toMatch(/SLIPWAY_EDGE_ID \(activity.edgeId\): must be 1–128 letters/);
    expect(problems).toMatch(/EDGE_PORT: must be a whole number/);
    expect(problems).toMatch(/SLIPWAY_EDGE_TRUST_PROXY: must be true or false/);
    expect(problems).toMatch(/DATABASE_URL \(database.url\): must be a postgres/);
    expect(problems).toMatch(/REDIS_URL \(redis.url\): must be a redis/);
    expect(problems).toMatch(/SLIPWAY_EDGE_KEY_TRUST_MS \(keys.trustForMs\)/);
    expect(problems).toMatch(/SLIPWAY_EDGE_CONNECT_TIMEOUT_MS \(upstream.connectTimeoutMs\)/);
    expect(problems).toMatch(/LOG_LEVEL \(log.level\)/);
    expect(problems).toMatch(
      /SLIPWAY_SECRET_KEY \(auth.secretKey\): is required when NODE_ENV=production/,
    );
  });

  it('derives an edge id an activity key accepts from any hostname', () => {
    expect(defaultEdgeId('edge-7f9c.internal', 42)).toBe('edge-7f9c.internal-42');
    expect(defaultEdgeId('bad host:name', 7)).toBe('bad-host-name-7');
    expect(defaultEdgeId('', 7)).toBe('edge-7');
    expect(() => edgeActivityKey(defaultEdgeId('x'.repeat(300), 99999))).not.toThrow();
  });

  it('applies overrides over the environment', () => {
    const config = loadEdgeConfig({ EDGE_PORT: '9000' }, { http: { port: 0 } });
    expect(config.http.port).toBe(0);
  });

  it('redacts sensitive values for logging', () => {
    const redacted = redactConfig(
      loadEdgeConfig({
        SLIPWAY_SECRET_KEY: KEY,
        DATABASE_URL: 'postgres://u:secret@db/x',
        REDIS_URL: 'redis://:secret@cache:6379',
      }),
    );
    expect(JSON.stringify(redacted)).not.toMatch(/secret@|edge-test-secret/);
    expect(redacted.auth?.secretKey).toBe('[redacted]');
  });
});
