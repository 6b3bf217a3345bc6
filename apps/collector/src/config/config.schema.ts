import { z } from 'zod';
import { DEFAULT_DRAIN_MS, DEFAULT_MAX_BODY_BYTES } from './env-vars';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export const RUNTIME_ENVS = ['development', 'test', 'production'] as const;

const positiveInt = z.number().int().min(1);

/** The collector's whole configuration, validated once at boot. */
export const collectorConfigSchema = z.strictObject({
  runtime: z.strictObject({ env: z.enum(RUNTIME_ENVS).default('development') }),
  http: z.strictObject({
    // 0 picks a free port (tests).
    port: z.number().int().min(0).max(65535).default(4318),
    maxBodyBytes: positiveInt.default(DEFAULT_MAX_BODY_BYTES),
    drainMs: z.number().int().min(0).max(60_000).default(DEFAULT_DRAIN_MS),
  }),
  database: z.strictObject({
    url: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
      .default('postgres://postgres@127.0.0.1:5432/slipway'),
    poolSize: positiveInt.max(100).default(8),
  }),
  auth: z.strictObject({
    secretKey: z.string().min(32, 'must be at least 32 characters').optional(),
  }),
  queue: z.strictObject({
    capacitySpans: positiveInt.default(100_000),
    batchSize: positiveInt.max(10_000).default(1000),
    flushIntervalMs: z.number().int().min(0).max(60_000).default(200),
  }),
  retention: z.strictObject({ days: positiveInt.max(3650).default(7) }),
  log: z.strictObject({ level: z.enum(LOG_LEVELS).default('info') }),
});

type Parsed = z.infer<typeof collectorConfigSchema>;

type DeepReadonly<T> = T extends readonly (infer U)[]
  ? readonly DeepReadonly<U>[]
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;

/** The validated, frozen config; `auth.secretKey` is always set (a development key outside production). */
export type CollectorConfig = DeepReadonly<Omit<Parsed, 'auth'> & { auth: { secretKey: string } }>;

/** Values applied over the environment (tests, embedding): any subset of any section. */
export type CollectorConfigOverrides = { [K in keyof Parsed]?: Partial<Parsed[K]> };
