import type { EnvVarDefinition } from '@slipway/app-config';

export type { EnvVarDefinition };

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024 * 1024;
export const DEFAULT_MAX_HEADER_BYTES = 16 * 1024;

/**
 * Every environment variable the edge reads, where it lands in the config, and whether it is
 * sensitive (sensitive values are redacted whenever the config is logged). The README's
 * "### Edge" table is checked against this list by a test.
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
    name: 'EDGE_PORT',
    path: 'http.port',
    kind: 'integer',
    description: 'Port that serves every service hostname (plain HTTP; TLS ends in front)',
    defaultValue: '8000',
    sensitive: false,
  },
  {
    name: 'EDGE_ADMIN_PORT',
    path: 'admin.port',
    kind: 'integer',
    description:
      'Operator port: `GET /metrics` (Prometheus), `/healthz`, `/readyz`; never reachable through a service hostname',
    defaultValue: '8001',
    sensitive: false,
  },
  {
    name: 'SLIPWAY_EDGE_TRUST_PROXY',
    path: 'http.trustProxy',
    kind: 'boolean',
    description:
      'Keep the `X-Forwarded-*` headers a TLS terminator in front sent (append to the chain) instead of replacing them',
    defaultValue: 'false',
    sensitive: false,
  },
  {
    name: 'SLIPWAY_EDGE_MAX_BODY_BYTES',
    path: 'http.maxBodyBytes',
    kind: 'integer',
    description:
      'Largest request body passed to a service (413 beyond); streamed, never buffered (a chunked body is held to it while it fits in HAProxy’s buffer)',
    defaultValue: String(DEFAULT_MAX_BODY_BYTES),
    sensitive: false,
  },
  {
    name: 'SLIPWAY_EDGE_MAX_HEADER_BYTES',
    path: 'http.maxHeaderBytes',
    kind: 'integer',
    description: 'Largest request head (request line and headers; 431 beyond)',
    defaultValue: String(DEFAULT_MAX_HEADER_BYTES),
    sensitive: false,
  },
  {
    name: 'DATABASE_URL',
    path: 'database.url',
    kind: 'string',
    description: 'PostgreSQL connection URL (the API’s database: routes and Access Keys)',
    defaultValue: 'postgres://postgres@127.0.0.1:5432/slipway',
    sensitive: true,
  },
  {
    name: 'SLIPWAY_EDGE_DB_POOL_SIZE',
    path: 'database.poolSize',
    kind: 'integer',
    description: 'Most database connections the edge opens',
    defaultValue: '4',
    sensitive: false,
  },
  {
    name: 'REDIS_URL',
    path: 'redis.url',
    kind: 'string',
    description: 'Redis URL: route changes and Access Key revocations arrive over pub/sub',
    defaultValue: 'redis://127.0.0.1:6379',
    sensitive: true,
  },
  {
    name: 'SLIPWAY_SECRET_KEY',
    path: 'auth.secretKey',
    kind: 'string',
    description:
      'The API’s key; Access Keys are looked up by their keyed hash (at least 32 characters); required outside development',
    defaultValue: '(the API’s development key)',
    sensitive: true,
  },
  {
    name: 'SLIPWAY_EDGE_KEY_POLL_INTERVAL_MS',
    path: 'keys.pollIntervalMs',
    kind: 'integer',
    description:
      'How often created and revoked Access Keys are read from PostgreSQL (50–1000), so a revocation holds even when Redis is down',
    defaultValue: '250',
    sensitive: false,
  },
  {
    name: 'SLIPWAY_EDGE_KEY_TRUST_MS',
    path: 'keys.trustForMs',
    kind: 'integer',
    description:
      'How long HAProxy trusts its keys after the last successful read (500–5000); past it private services answer `503 auth_unavailable`',
    defaultValue: '1000',
    sensitive: false,
  },
  {
    name: 'SLIPWAY_EDGE_KEY_FULL_READ_INTERVAL_MS',
    path: 'keys.fullReadIntervalMs',
    kind: 'integer',
    description:
      'How often every live Access Key is read again (catches keys deleted with their project)',
    defaultValue: '60000',
    sensitive: false,
  },
  {
    name: 'SLIPWAY_EDGE_HAPROXY_BINARY',
    path: 'haproxy.binary',
    kind: 'string',
    description: 'The HAProxy executable (2.6 or newer; Debian’s `haproxy` package)',
    defaultValue: 'haproxy',
    sensitive: false,
  },
  {
    name: 'SLIPWAY_EDGE_RUN_DIR',
    path: 'haproxy.runDir',
    kind: 'string',
    description:
      'Where the agent keeps HAProxy’s config, maps and sockets (mode 0700); a restarted agent adopts the HAProxy it finds there',
    defaultValue: '/tmp/slipway-edge',
    sensitive: false,
  },
  {
    name: 'SLIPWAY_EDGE_THREADS',
    path: 'haproxy.threads',
    kind: 'integer',
    description: 'HAProxy threads (one per core it may use)',
    defaultValue: '2',
    sensitive: false,
  },
  {
    name: 'SLIPWAY_EDGE_MAX_CONNECTIONS',
    path: 'haproxy.maxConnections',
    kind: 'integer',
    description:
      'Most client connections HAProxy holds at once (0: as many as its file-descriptor limit allows)',
    defaultValue: '0',
    sensitive: false,
  },
  {
    name: 'SLIPWAY_EDGE_SECURE_COOKIES',
    path: 'auth.secureCookie',
    kind: 'boolean',
    description:
      'Mark the signed-URL session cookie `Secure` on every answer; otherwise only when `X-Forwarded-Proto: https` (browsers drop Secure cookies over plain http)',
    defaultValue: 'false',
    sensitive: false,
  },
  {
    name: 'SLIPWAY_EDGE_CONNECT_TIMEOUT_MS',
    path: 'upstream.connectTimeoutMs',
    kind: 'integer',
    description: 'Longest wait to connect to an instance (502 beyond)',
    defaultValue: '5000',
    sensitive: false,
  },
  {
    name: 'SLIPWAY_EDGE_RESPONSE_TIMEOUT_MS',
    path: 'upstream.responseTimeoutMs',
    kind: 'integer',
    description:
      'Longest wait for an instance’s response headers, and longest silence inside a response body (504 before the headers)',
    defaultValue: '60000',
    sensitive: false,
  },
  {
    name: 'SLIPWAY_EDGE_WEBSOCKET_IDLE_TIMEOUT_MS',
    path: 'upstream.websocketIdleTimeoutMs',
    kind: 'integer',
    description: 'A proxied WebSocket with no traffic either way for this long is closed',
    defaultValue: '300000',
    sensitive: false,
  },
  {
    name: 'SLIPWAY_EDGE_ACCESS_LOG_BATCH_SIZE',
    path: 'accessLog.batchSize',
    kind: 'integer',
    description: 'Most access-log (and request-metrics) rows written by one INSERT',
    defaultValue: '500',
    sensitive: false,
  },
  {
    name: 'SLIPWAY_EDGE_ACCESS_LOG_FLUSH_INTERVAL_MS',
    path: 'accessLog.flushIntervalMs',
    kind: 'integer',
    description:
      'How often buffered access logs and ended 10 s request-metrics buckets are written',
    defaultValue: '1000',
    sensitive: false,
  },
  {
    name: 'SLIPWAY_EDGE_ACCESS_LOG_BUFFER_ROWS',
    path: 'accessLog.bufferRows',
    kind: 'integer',
    description:
      'Most rows held in memory while PostgreSQL is slow or down; beyond it the oldest are dropped and counted (`slipway_edge_access_log_dropped_total`)',
    defaultValue: '50000',
    sensitive: false,
  },
  {
    name: 'SLIPWAY_EDGE_ACCESS_LOG_RING_BYTES',
    path: 'accessLog.ringBytes',
    kind: 'integer',
    description:
      'Bytes of access-log lines HAProxy keeps while the agent is not reading them (an agent restart)',
    defaultValue: '67108864',
    sensitive: false,
  },
  {
    name: 'SLIPWAY_ACCESS_LOG_RETENTION_DAYS',
    path: 'accessLog.retentionDays',
    kind: 'integer',
    description:
      'Access logs and request metrics older than this many days are deleted by the edge',
    defaultValue: '7',
    sensitive: false,
  },
  {
    name: 'SLIPWAY_EDGE_ROUTE_RESYNC_INTERVAL_MS',
    path: 'routes.resyncIntervalMs',
    kind: 'integer',
    description:
      'How often the route table is reloaded from PostgreSQL (also after every Redis reconnect)',
    defaultValue: '30000',
    sensitive: false,
  },
  {
    name: 'SLIPWAY_EDGE_WAKE_QUEUE_LIMIT',
    path: 'wake.queueLimit',
    kind: 'integer',
    description:
      'Most requests held per sleeping service while it wakes (1–100000); more are answered `503` with `Retry-After` at once',
    defaultValue: '1000',
    sensitive: false,
  },
  {
    name: 'SLIPWAY_EDGE_WAKE_TIMEOUT_MS',
    path: 'wake.timeoutMs',
    kind: 'integer',
    description:
      'Longest a request waits for a sleeping service to wake (100–600000); then it is answered `503` with `Retry-After`',
    defaultValue: '60000',
    sensitive: false,
  },
  {
    name: 'SLIPWAY_EDGE_ACTIVITY_INTERVAL_MS',
    path: 'activity.intervalMs',
    kind: 'integer',
    description:
      'How often the edge writes each service’s requests in flight and last request time to Redis for the autoscaler (200–60000; the hash expires after 5 intervals)',
    defaultValue: '1000',
    sensitive: false,
  },
  {
    name: 'SLIPWAY_EDGE_ID',
    path: 'activity.edgeId',
    kind: 'string',
    description:
      'Names this edge’s activity hash in Redis (`slipway:edge-activity:<id>`; letters, digits, `_`, `.`, `-`)',
    defaultValue: '(hostname-pid)',
    sensitive: false,
  },
  {
    name: 'SLIPWAY_EDGE_DRAIN_TIMEOUT_MS',
    path: 'shutdown.drainTimeoutMs',
    kind: 'integer',
    description:
      'On SIGTERM, longest wait for in-flight requests and WebSockets before they are cut',
    defaultValue: '10000',
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
