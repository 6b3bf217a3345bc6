import { z } from 'zod';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

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
  })
  .strict()
  .superRefine((config, ctx) => {
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
