import { DEVELOPMENT_SECRET_KEY } from '@slipway/contracts';
import { ConfigError, loadCollectorConfig, redactConfig } from './load-config';

const KEY = 'collector-test-secret-key-at-least-32-chars';

describe('loadCollectorConfig', () => {
  it('applies the documented defaults', () => {
    const config = loadCollectorConfig({});
    expect(config.http).toEqual({ port: 4318, maxBodyBytes: 8 * 1024 * 1024, drainMs: 10_000 });
    expect(config.queue).toEqual({ capacitySpans: 100_000, batchSize: 1000, flushIntervalMs: 200 });
    expect(config.retention.days).toBe(7);
    expect(config.auth.secretKey).toBe(DEVELOPMENT_SECRET_KEY);
    expect(Object.isFrozen(config.queue)).toBe(true);
  });

  it('reads every variable from the environment', () => {
    const config = loadCollectorConfig({
      COLLECTOR_PORT: '14318',
      DATABASE_URL: 'postgres://u:p@db:5432/x',
      SLIPWAY_SECRET_KEY: KEY,
      SLIPWAY_COLLECTOR_MAX_BODY_BYTES: '1024',
      SLIPWAY_COLLECTOR_DRAIN_MS: '500',
      SLIPWAY_COLLECTOR_QUEUE_CAPACITY: '50',
      SLIPWAY_COLLECTOR_BATCH_SIZE: '10',
      SLIPWAY_COLLECTOR_FLUSH_INTERVAL_MS: '5',
      SLIPWAY_TRACE_RETENTION_DAYS: '30',
      LOG_LEVEL: 'warn',
    });
    expect(config.http).toEqual({ port: 14318, maxBodyBytes: 1024, drainMs: 500 });
    expect(config.database.url).toBe('postgres://u:p@db:5432/x');
    expect(config.auth.secretKey).toBe(KEY);
    expect(config.queue).toEqual({ capacitySpans: 50, batchSize: 10, flushIntervalMs: 5 });
    expect(config.retention.days).toBe(30);
    expect(config.log.level).toBe('warn');
  });

  it('lists every problem at once', () => {
    let error: unknown;
    try {
      loadCollectorConfig({
        NODE_ENV: 'production',
        COLLECTOR_PORT: 'http',
        DATABASE_URL: 'mysql://db',
        SLIPWAY_COLLECTOR_QUEUE_CAPACITY: '0',
        SLIPWAY_TRACE_RETENTION_DAYS: '-1',
        LOG_LEVEL: 'loud',
      });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toMatch(/COLLECTOR_PORT: must be a whole number/);
    expect(problems).toMatch(/SLIPWAY_TRACE_RETENTION_DAYS: must be a whole number/);
    expect(problems).toMatch(/DATABASE_URL \(database.url\): must be a postgres/);
    expect(problems).toMatch(/SLIPWAY_COLLECTOR_QUEUE_CAPACITY \(queue.capacitySpans\)/);
    expect(problems).toMatch(/LOG_LEVEL \(log.level\)/);
    expect(problems).toMatch(
      /SLIPWAY_SECRET_KEY \(auth.secretKey\): is required when NODE_ENV=production/,
    );
  });

  it('rejects a short secret key', () => {
    expect(() => loadCollectorConfig({ SLIPWAY_SECRET_KEY: 'short' })).toThrow(
      /SLIPWAY_SECRET_KEY \(auth.secretKey\): must be at least 32 characters/,
    );
  });

  it('redacts sensitive values for logging', () => {
    const redacted = redactConfig(
      loadCollectorConfig({ SLIPWAY_SECRET_KEY: KEY, DATABASE_URL: 'postgres://u:secret@db/x' }),
    );
    expect(JSON.stringify(redacted)).not.toMatch(/secret@|collector-test-secret/);
    expect(redacted.auth?.secretKey).toBe('[redacted]');
  });
});
