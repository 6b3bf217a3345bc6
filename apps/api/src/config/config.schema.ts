import { z } from 'zod';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export const RUNTIME_DRIVERS = ['docker', 'kubernetes'] as const;

/** The API's whole configuration, validated once at boot. */
export const configSchema = z
  .object({
    env: z.enum(['development', 'test', 'production']),
    http: z.object({
      port: z.number().int().min(0).max(65535),
      bodyLimitBytes: z.number().int().min(1024),
      trustProxy: z.boolean(),
    }),
    database: z.object({
      url: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL'),
      migrateOnStart: z.boolean(),
    }),
    redis: z.object({
      url: z.string().regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL'),
    }),
    services: z.object({ enabled: z.boolean() }),
    appsDomain: z
      .string()
      .regex(
        /^(?=.{1,200}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/,
        'must be a lowercase DNS name such as apps.example.com',
      ),
    secretKey: z.string().min(32, 'must be at least 32 characters').optional(),
    bootstrap: z.object({
      token: z.string().min(16, 'must be at least 16 characters').optional(),
      adminEmail: z.email(),
    }),
    rateLimit: z.object({ requestsPerMinute: z.number().int().min(1) }),
    idempotency: z.object({ ttlHours: z.number().int().min(24, 'must be at least 24 hours') }),
    log: z.object({ level: z.enum(LOG_LEVELS) }),
    /** How builders (and other internal callers) reach this API. */
    internalUrl: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }),
    /** The built dashboard to serve at `/`, when not the one next to the API. */
    webDir: z
      .string()
      .refine((dir) => dir.startsWith('/'), 'must be an absolute path')
      .optional(),
    /** How users and git hosts reach this API, when not the address a request came to. */
    publicUrl: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
    queues: z.object({
      prefix: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/, 'must be 1-32 letters, digits, _ or -'),
    }),
    deploy: z.object({
      concurrency: z.number().int().min(1).max(64),
      readinessTimeoutSeconds: z.number().int().min(1).max(3600),
      buildAttempts: z.number().int().min(1).max(5),
      buildDeadlineSeconds: z.number().int().min(1).max(86400),
    }),
    traces: z.object({
      /** How long a rotated service token is still accepted (0: not at all). */
      tokenGraceSeconds: z.number().int().min(0).max(604800),
    }),
    bundles: z.object({
      dir: z.string().min(1),
      maxBytes: z.number().int().min(1024),
      maxExtractedBytes: z.number().int().min(1024),
      maxFiles: z.number().int().min(1),
    }),
    registry: z.object({
      host: z
        .string()
        .regex(/^[a-z0-9.-]+(:\d{1,5})?$/i, 'must be host[:port], e.g. registry.example.com'),
      insecure: z.boolean(),
      /** The registry's HTTP API as this process reaches it, when not at `host` (compose). */
      apiUrl: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
      username: z.string().min(1).optional(),
      password: z.string().min(1).optional(),
    }),
    runtime: z.object({
      driver: z.enum(RUNTIME_DRIVERS),
      /** OTLP endpoint as service containers reach the collector. */
      collectorUrl: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }),
      drainSeconds: z.number().int().min(0).max(300),
      /** How often serving services' instances are checked (running ↔ degraded). */
      healthWatchSeconds: z.number().int().min(1).max(300),
      /** How often each serving service's CPU and memory are sampled for the metrics' history. */
      usageSampleSeconds: z.number().int().min(5).max(3600),
      /** How long those samples are kept. */
      usageRetentionDays: z.number().int().min(1).max(365),
      /** How often the edges' traffic is read to put idle services to sleep and scale to load. */
      autoscaleIntervalSeconds: z.number().int().min(1).max(60),
      /** How long in-flight requests must stay low before instances are removed. */
      scaleInSeconds: z.number().int().min(5).max(3600),
      docker: z.object({
        network: z
          .string()
          .regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,62}$/, 'must be a Docker network name'),
        pullPolicy: z.enum(['missing', 'always']),
        stopTimeoutSeconds: z.number().int().min(1).max(600),
      }),
      kubernetes: z.object({
        systemNamespace: z
          .string()
          .regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, 'must be a DNS label'),
        namespacePrefix: z
          .string()
          .regex(
            /^[a-z0-9]([-a-z0-9]{0,18}[a-z0-9])?$/,
            'must be a DNS label of at most 20 characters',
          ),
      }),
    }),
  })
  .strict()
  .superRefine((config, ctx) => {
    if ((config.registry.username === undefined) !== (config.registry.password === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: ['registry', 'password'],
        message: 'SLIPWAY_REGISTRY_USERNAME and SLIPWAY_REGISTRY_PASSWORD must be set together',
      });
    }
    if (config.env === 'production' && !config.secretKey) {
      ctx.addIssue({
        code: 'custom',
        path: ['secretKey'],
        message: 'SLIPWAY_SECRET_KEY is required when NODE_ENV=production',
      });
    }
  });

type ParsedConfig = z.infer<typeof configSchema>;

/** The validated config; `secretKey` is always set (a development key outside production). */
export type AppConfig = Readonly<Omit<ParsedConfig, 'secretKey'> & { secretKey: string }>;
