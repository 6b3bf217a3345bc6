import { z } from 'zod';
import { DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_HEADER_BYTES } from './env-vars';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export const RUNTIME_ENVS = ['development', 'test', 'production'] as const;

const positiveInt = z.number().int().min(1);
/** What `edgeActivityKey` accepts. */
export const EDGE_ID = /^[A-Za-z0-9_.-]{1,128}$/;
// 0 picks a free port (tests).
const port = (fallback: number) => z.number().int().min(0).max(65535).default(fallback);

/** The edge's whole configuration, validated once at boot. */
export const edgeConfigSchema = z.strictObject({
  runtime: z.strictObject({ env: z.enum(RUNTIME_ENVS).default('development') }),
  http: z.strictObject({
    port: port(8000),
    /** Address both ports bind to; tests use loopback. */
    host: z.string().min(1).default('0.0.0.0'),
    trustProxy: z.boolean().default(false),
    maxBodyBytes: positiveInt.default(DEFAULT_MAX_BODY_BYTES),
    maxHeaderBytes: z
      .number()
      .int()
      .min(1024)
      .max(1024 * 1024)
      .default(DEFAULT_MAX_HEADER_BYTES),
  }),
  admin: z.strictObject({ port: port(8001) }),
  database: z.strictObject({
    url: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
      .default('postgres://postgres@127.0.0.1:5432/slipway'),
    poolSize: positiveInt.max(100).default(4),
  }),
  redis: z.strictObject({
    url: z
      .string()
      .regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL')
      .default('redis://127.0.0.1:6379'),
  }),
  auth: z.strictObject({
    secretKey: z.string().min(32, 'must be at least 32 characters').optional(),
    /** Mark the signed-URL session cookie Secure even without `X-Forwarded-Proto: https`. */
    secureCookie: z.boolean().default(false),
  }),
  keys: z.strictObject({
    pollIntervalMs: z.number().int().min(50).max(1000).default(250),
    // Bounded so a revocation holds within about a second even when Redis is down.
    trustForMs: z.number().int().min(500).max(5000).default(1000),
    fullReadIntervalMs: z.number().int().min(1000).default(60_000),
  }),
  haproxy: z.strictObject({
    binary: z.string().min(1).default('haproxy'),
    /** Config, maps and sockets; kept across agent restarts so HAProxy can be adopted. */
    runDir: z.string().min(1).default('/tmp/slipway-edge'),
    threads: z.number().int().min(1).max(64).default(2),
    /** 0: HAProxy derives it from the file-descriptor limit it was given. */
    maxConnections: z.number().int().min(0).max(1_000_000).default(0),
  }),
  upstream: z.strictObject({
    connectTimeoutMs: positiveInt.max(120_000).default(5000),
    responseTimeoutMs: positiveInt.max(3_600_000).default(60_000),
    websocketIdleTimeoutMs: positiveInt.max(86_400_000).default(300_000),
  }),
  accessLog: z.strictObject({
    batchSize: positiveInt.max(10_000).default(500),
    flushIntervalMs: z.number().int().min(10).max(60_000).default(1000),
    bufferRows: positiveInt.max(10_000_000).default(50_000),
    retentionDays: positiveInt.max(3650).default(7),
    ringBytes: z
      .number()
      .int()
      .min(65_536)
      .max(1024 * 1024 * 1024)
      .default(64 * 1024 * 1024),
  }),
  routes: z.strictObject({ resyncIntervalMs: z.number().int().min(100).default(30_000) }),
  /** Requests for a sleeping service, held by the agent while the service wakes. */
  wake: z.strictObject({
    /** Held requests per service; more are answered 503 at once. */
    queueLimit: positiveInt.max(100_000).default(1000),
    /** Longest a request is held before it is answered 503. */
    timeoutMs: z.number().int().min(100).max(600_000).default(60_000),
  }),
  /** Each service's traffic as this edge sees it, written to Redis for the API's autoscaler. */
  activity: z.strictObject({
    intervalMs: z.number().int().min(200).max(60_000).default(1000),
    /** Names this edge's activity hash; derived from the hostname and pid when unset. */
    edgeId: z.string().regex(EDGE_ID, 'must be 1–128 letters, digits, `_`, `.` or `-`').optional(),
  }),
  shutdown: z.strictObject({ drainTimeoutMs: z.number().int().min(0).default(10_000) }),
  log: z.strictObject({ level: z.enum(LOG_LEVELS).default('info') }),
});

type Parsed = z.infer<typeof edgeConfigSchema>;

type DeepReadonly<T> = T extends readonly (infer U)[]
  ? readonly DeepReadonly<U>[]
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;

/**
 * The validated, frozen config; `auth.secretKey` is always set (a development key outside
 * production), and so is `activity.edgeId`.
 */
export type EdgeConfig = DeepReadonly<
  Omit<Parsed, 'auth' | 'activity'> & {
    auth: Omit<Parsed['auth'], 'secretKey'> & { secretKey: string };
    activity: Omit<Parsed['activity'], 'edgeId'> & { edgeId: string };
  }
>;

/** Values applied over the environment (tests, embedding): any subset of any section. */
export type EdgeConfigOverrides = { [K in keyof Parsed]?: Partial<Parsed[K]> };
