import type { EnvVarDefinition } from '@slipway/app-config';

export type { EnvVarDefinition };

export const DEFAULT_MAX_BODY_BYTES = 8 * 1024 * 1024;
export const DEFAULT_DRAIN_MS = 10_000;

/**
 * Every environment variable the collector reads, where it lands in the config, and whether
 * it is sensitive (sensitive values are redacted whenever the config is logged). The README's
 * "### Collector" table is checked against this list by a test.
 */
export const ENV_VARS: readonly EnvVarDefinition[] = [
  {
    name: 'NODE_ENV',
    path: 'runtime.env',
    kind: 'string',
    description: '`development`, `test` or `production`; production requires SLIPWAY_SECRET_KEY',
    defaultValue: 'development',
    sensitive: false,
  },
  {
    name: 'COLLECTOR_PORT',
    path: 'http.port',
    kind: 'integer',
    description: 'OTLP/HTTP port (`POST /v1/traces`, `GET /healthz`, `GET /readyz`)',
    defaultValue: '4318',
    sensitive: false,
  },
  {
    name: 'SLIPWAY_COLLECTOR_MAX_BODY_BYTES',
    path: 'http.maxBodyBytes',
    kind: 'integer',
    description: 'Largest request body, both as sent and after gzip decompression (413 beyond)',
    defaultValue: String(DEFAULT_MAX_BODY_BYTES),
    sensitive: false,
  },
  {
    name: 'SLIPWAY_COLLECTOR_DRAIN_MS',
    path: 'http.drainMs',
    kind: 'integer',
    description:
      'After an early answer (401, 413), how long the rest of the body (up to 4 × SLIPWAY_COLLECTOR_MAX_BODY_BYTES) is read and dropped so the client can read the answer; then the connection closes',
    defaultValue: String(DEFAULT_DRAIN_MS),
    sensitive: false,
  },
  {
    name: 'DATABASE_URL',
    path: 'database.url',
    kind: 'string',
    description: 'PostgreSQL connection URL (the API’s database: `services` and `spans`)',
    defaultValue: 'postgres://postgres@127.0.0.1:5432/slipway',
    sensitive: true,
  },
  {
    name: 'SLIPWAY_COLLECTOR_DB_POOL_SIZE',
    path: 'database.poolSize',
    kind: 'integer',
    description: 'Most database connections the collector opens',
    defaultValue: '8',
    sensitive: false,
  },
  {
    name: 'SLIPWAY_SECRET_KEY',
    path: 'auth.secretKey',
    kind: 'string',
    description:
      'The API’s key; service tokens are looked up by their keyed hash (at least 32 characters); required outside development',
    defaultValue: '(the API’s development key)',
    sensitive: true,
  },
  {
    name: 'SLIPWAY_COLLECTOR_QUEUE_CAPACITY',
    path: 'queue.capacitySpans',
    kind: 'integer',
    description:
      'Spans held in memory waiting for the database; a request that does not fit gets 429',
    defaultValue: '100000',
    sensitive: false,
  },
  {
    name: 'SLIPWAY_COLLECTOR_BATCH_SIZE',
    path: 'queue.batchSize',
    kind: 'integer',
    description: 'Most spans written by one INSERT',
    defaultValue: '1000',
    sensitive: false,
  },
  {
    name: 'SLIPWAY_COLLECTOR_FLUSH_INTERVAL_MS',
    path: 'queue.flushIntervalMs',
    kind: 'integer',
    description: 'Longest a span waits for a batch to fill before it is written',
    defaultValue: '200',
    sensitive: false,
  },
  {
    name: 'SLIPWAY_TRACE_RETENTION_DAYS',
    path: 'retention.days',
    kind: 'integer',
    description: 'Spans received longer ago are deleted (checked every 10 minutes)',
    defaultValue: '7',
    sensitive: false,
  },
  {
    name: 'LOG_LEVEL',
    path: 'log.level',
    kind: 'string',
    description: 'log level: `fatal`, `error`, `warn`, `info`, `debug`, `trace` or `silent`',
    defaultValue: 'info',
    sensitive: false,
  },
];
