/**
 * Every environment variable the API reads, where it lands in the config, and whether it
 * is sensitive (sensitive values are redacted whenever config is logged). The README's
 * configuration reference is checked against this table by a test.
 */
export interface EnvVarDefinition {
  readonly name: string;
  /** Dotted path in the config object; absent for variables that steer loading itself. */
  readonly path?: string;
  readonly kind: 'string' | 'integer' | 'boolean';
  readonly description: string;
  readonly defaultValue: string;
  readonly sensitive: boolean;
}

export const CONFIG_FILE_ENV = 'SLIPWAY_CONFIG_FILE';

export const ENV_VARS: readonly EnvVarDefinition[] = [
  {
    name: CONFIG_FILE_ENV,
    kind: 'string',
    description: 'Path of the base config file (YAML)',
    defaultValue: 'apps/api/config/base.yaml',
    sensitive: false,
  },
  {
    name: 'NODE_ENV',
    path: 'env',
    kind: 'string',
    description: '`development`, `test` or `production`; production requires SLIPWAY_SECRET_KEY',
    defaultValue: 'development',
    sensitive: false,
  },
  {
    name: 'PORT',
    path: 'http.port',
    kind: 'integer',
    description: 'API port',
    defaultValue: '3000',
    sensitive: false,
  },
  {
    name: 'SLIPWAY_BODY_LIMIT_BYTES',
    path: 'http.bodyLimitBytes',
    kind: 'integer',
    description: 'Largest JSON request body accepted',
    defaultValue: '1048576',
    sensitive: false,
  },
  {
    name: 'SLIPWAY_TRUST_PROXY',
    path: 'http.trustProxy',
    kind: 'boolean',
    description: 'Trust X-Forwarded-* headers (set behind a reverse proxy)',
    defaultValue: 'false',
    sensitive: false,
  },
  {
    name: 'DATABASE_URL',
    path: 'database.url',
    kind: 'string',
    description: 'PostgreSQL connection URL',
    defaultValue: 'postgres://postgres@127.0.0.1:5432/slipway',
    sensitive: true,
  },
  {
    name: 'SLIPWAY_MIGRATE_ON_START',
    path: 'database.migrateOnStart',
    kind: 'boolean',
    description: 'Run pending migrations when the API starts',
    defaultValue: 'true',
    sensitive: false,
  },
  {
    name: 'REDIS_URL',
    path: 'redis.url',
    kind: 'string',
    description: 'Redis connection URL',
    defaultValue: 'redis://127.0.0.1:6379',
    sensitive: true,
  },
  {
    name: 'SLIPWAY_SERVICES_ENABLED',
    path: 'services.enabled',
    kind: 'boolean',
    description: 'Turns on service deployments (`services.enabled` in the base config)',
    defaultValue: 'false',
    sensitive: false,
  },
  {
    name: 'SLIPWAY_APPS_DOMAIN',
    path: 'appsDomain',
    kind: 'string',
    description: 'Domain under which every service gets its hostname',
    defaultValue: 'localhost',
    sensitive: false,
  },
  {
    name: 'SLIPWAY_SECRET_KEY',
    path: 'secretKey',
    kind: 'string',
    description:
      'Key for hashing tokens and encrypting secrets at rest (at least 32 characters); required outside development',
    defaultValue: '(a fixed development key)',
    sensitive: true,
  },
  {
    name: 'SLIPWAY_BOOTSTRAP_TOKEN',
    path: 'bootstrap.token',
    kind: 'string',
    description:
      'When set, the API ensures an admin user, org `default`, project `default`, the default resource profiles and a PAT with this value at start',
    defaultValue: '(unset)',
    sensitive: true,
  },
  {
    name: 'SLIPWAY_BOOTSTRAP_ADMIN_EMAIL',
    path: 'bootstrap.adminEmail',
    kind: 'string',
    description: 'Email of the bootstrap admin user',
    defaultValue: 'admin@slipway.local',
    sensitive: false,
  },
  {
    name: 'SLIPWAY_RATE_LIMIT_PER_MINUTE',
    path: 'rateLimit.requestsPerMinute',
    kind: 'integer',
    description: 'Requests per minute allowed per token before 429',
    defaultValue: '600',
    sensitive: false,
  },
  {
    name: 'SLIPWAY_IDEMPOTENCY_TTL_HOURS',
    path: 'idempotency.ttlHours',
    kind: 'integer',
    description: 'How long Idempotency-Key records are kept (at least 24)',
    defaultValue: '24',
    sensitive: false,
  },
  {
    name: 'LOG_LEVEL',
    path: 'log.level',
    kind: 'string',
    description: 'Log level: `fatal`, `error`, `warn`, `info`, `debug`, `trace` or `silent`',
    defaultValue: 'info',
    sensitive: false,
  },
];
