import { isAbsolute } from 'node:path';
import { DEFAULT_BUILD_NAMESPACE, DEFAULT_KANIKO_IMAGE } from '@slipway/k8s-spec';
import { DEFAULT_BUNDLE_LIMITS } from '@slipway/source-bundle';
import { z } from 'zod';
import { DEFAULT_WORK_DIR } from './env-vars';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export const BUILD_DRIVERS = ['docker', 'kaniko'] as const;

const positiveInt = z.number().int().min(1);

/** The builder's whole configuration, validated once at boot. */
export const builderConfigSchema = z
  .strictObject({
    redis: z.strictObject({
      url: z
        .string()
        .regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL')
        .default('redis://127.0.0.1:6379'),
    }),
    queue: z.strictObject({
      /** BullMQ key prefix; the API must use the same one. */
      prefix: z
        .string()
        .regex(/^[A-Za-z0-9_.-]{1,64}$/, 'must be 1-64 letters, digits, ".", "_" or "-"')
        .default('bull'),
      concurrency: positiveInt.max(64).default(2),
    }),
    build: z.strictObject({
      driver: z.enum(BUILD_DRIVERS).default('docker'),
      timeoutSeconds: positiveInt.default(1800),
      workDir: z
        .string()
        .refine((dir) => isAbsolute(dir), 'must be an absolute path')
        .default(DEFAULT_WORK_DIR),
      shutdownGraceSeconds: z.number().int().min(0).default(20),
      gitTimeoutSeconds: positiveInt.max(3600).default(120),
    }),
    bundle: z.strictObject({
      maxArchiveBytes: positiveInt.default(DEFAULT_BUNDLE_LIMITS.maxArchiveBytes),
      maxExtractedBytes: positiveInt.default(DEFAULT_BUNDLE_LIMITS.maxExtractedBytes),
      maxFiles: positiveInt.default(DEFAULT_BUNDLE_LIMITS.maxFiles),
    }),
    docker: z.strictObject({
      host: z
        .string()
        .regex(
          /^(unix|tcp|http|https):\/\//,
          'must start with unix://, tcp://, http:// or https://',
        )
        .optional(),
    }),
    registry: z.strictObject({
      username: z.string().min(1).optional(),
      password: z.string().min(1).optional(),
    }),
    kaniko: z.strictObject({
      namespace: z
        .string()
        .regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, 'must be a Kubernetes namespace name')
        .default(DEFAULT_BUILD_NAMESPACE),
      executorImage: z.string().min(1).default(DEFAULT_KANIKO_IMAGE),
      registrySecretName: z.string().min(1).optional(),
      insecureRegistries: z.array(z.string().min(1)).default([]),
      kubeconfig: z.string().min(1).optional(),
    }),
    log: z.strictObject({ level: z.enum(LOG_LEVELS).default('info') }),
  })
  .superRefine((config, ctx) => {
    if (config.build.driver === 'kaniko' && !config.kaniko.registrySecretName) {
      ctx.addIssue({
        code: 'custom',
        path: ['kaniko', 'registrySecretName'],
        message: 'is required when SLIPWAY_BUILD_DRIVER=kaniko',
      });
    }
    if (!config.registry.username !== !config.registry.password) {
      ctx.addIssue({
        code: 'custom',
        path: ['registry', config.registry.username ? 'password' : 'username'],
        message: 'set both SLIPWAY_REGISTRY_USERNAME and SLIPWAY_REGISTRY_PASSWORD, or neither',
      });
    }
  });

type Parsed = z.infer<typeof builderConfigSchema>;

type DeepReadonly<T> = T extends readonly (infer U)[]
  ? readonly DeepReadonly<U>[]
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;

/** The validated, frozen config. */
export type BuilderConfig = DeepReadonly<Parsed>;

/** Values applied over the environment (tests, embedding): any subset of any section. */
export type BuilderConfigOverrides = { [K in keyof Parsed]?: Partial<Parsed[K]> };
