/**
 * The Terraform resource types Slipway declares, as they appear in synthesized Terraform
 * JSON. The constructs write this shape, `slipway iac` (and the provider) read it; each
 * schema is checked where the JSON enters a process.
 */
import {
  BUILT_IN_RESOURCE_PROFILES,
  DEFAULT_IDLE_TIMEOUT_SECONDS,
  labelKeyProblem,
  labelValueProblem,
  MAX_LABELS,
  RESERVED_LABEL_PREFIX,
  SERVICE_PORT_RANGE,
  tagsProblem,
} from '@slipway/contracts';
import { z } from 'zod';

export {
  DEFAULT_IDLE_TIMEOUT_SECONDS,
  labelKeyProblem,
  labelValueProblem,
  MANAGED_BY_LABEL,
  MAX_LABELS,
  RESERVED_LABEL_PREFIX,
  SERVICE_PORT_RANGE,
  STACK_LABEL,
  STACK_RESOURCE_LABEL,
  tagsProblem,
} from '@slipway/contracts';

export const PROVIDER_NAME = 'slipway';
export const PROVIDER_SOURCE = 'slipway/slipway';

export const RESOURCE_TYPES = [
  'slipway_project',
  'slipway_resource_profile',
  'slipway_service',
  'slipway_access_key',
] as const;
export type ResourceType = (typeof RESOURCE_TYPES)[number];

/** A salted digest of a service's secret env values (the API never returns them). */
export const SECRET_ENV_LABEL = 'slipway.dev/secret-env';

/** The profiles every installation seeds; others are declared in the stack or imported. */
/** Profiles every installation has, by name (their sizes are in @slipway/contracts). */
export const BUILT_IN_PROFILES = BUILT_IN_RESOURCE_PROFILES.map((profile) => profile.name);

export const SERVICE_NAME = /^[a-z]([a-z0-9-]{0,52}[a-z0-9])?$/;
export const PROFILE_NAME = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
export const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
export const QUANTITY = /^[0-9]+(\.[0-9]+)?(m|Ki|Mi|Gi|Ti)?$/;
/** A `${…}` Terraform expression: a reference or a variable, resolved at plan time. */
export const EXPRESSION = /^\$\{[^}]+\}$/;
const text = (max: number) => z.string().max(max);
const reference = z
  .string()
  .regex(EXPRESSION, 'must be a reference such as ${slipway_project.web.id}');
const uuidOrReference = z.union([z.uuid(), reference]);
const labels = z.record(z.string(), z.string()).superRefine((value, ctx) => {
  const keys = Object.keys(value);
  if (keys.length > MAX_LABELS) ctx.addIssue({ code: 'custom', message: `at most ${MAX_LABELS}` });
  for (const key of keys) {
    const problem =
      labelKeyProblem(key) ??
      (key.startsWith(RESERVED_LABEL_PREFIX)
        ? `label key "${key}": the ${RESERVED_LABEL_PREFIX} prefix is kept by Slipway`
        : labelValueProblem(key, value[key]));
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  }
});
const metadata = { '//': z.unknown().optional(), depends_on: z.array(z.string()).optional() };

export const ProviderConfig = z.object({
  api_url: z.string().optional(),
  token: z.string().optional(),
  org_id: uuidOrReference.optional(),
  alias: z.string().optional(),
});
export type ProviderConfig = z.infer<typeof ProviderConfig>;

export const ProjectConfig = z.strictObject({
  ...metadata,
  name: z.string().min(1).max(100),
  description: text(500).optional(),
  org_id: uuidOrReference.optional(),
  labels: labels.optional(),
});
export type ProjectConfig = z.infer<typeof ProjectConfig>;

export const ResourceProfileConfig = z.strictObject({
  ...metadata,
  name: z.string().regex(PROFILE_NAME, 'must be a lowercase DNS label'),
  description: text(500).optional(),
  cpu: z.string().regex(QUANTITY, 'must be a CPU quantity such as 500m or 2'),
  memory: z.string().regex(QUANTITY, 'must be a memory quantity such as 512Mi or 2Gi'),
  gpu_type: z.string().min(1).optional(),
  gpu_count: z.literal([1, 2, 4, 8]).optional(),
  labels: labels.optional(),
});
export type ResourceProfileConfig = z.infer<typeof ResourceProfileConfig>;

/** The deploy body's bounds for scaling on in-flight requests and for sleeping when idle. */
export const AUTOSCALING_BOUNDS = {
  targetConcurrency: { min: 1, max: 1000 },
  idleTimeoutSeconds: { min: 10, max: 86_400 },
} as const;

/** Only a service that may scale to zero sleeps: the API refuses the timeout otherwise. */
export const IDLE_TIMEOUT_NEEDS_ZERO =
  'only applies with min_instances 0 (a service that may sleep)';

/**
 * A declared autoscaling block as the API will hold it: one that may sleep gets the default
 * idle timeout, so leaving it out compares equal to the default the API reports.
 */
export function autoscalingAsApplied<
  A extends { min_instances: number; idle_timeout_seconds?: number },
>(autoscaling: A): A {
  if (autoscaling.min_instances !== 0 || autoscaling.idle_timeout_seconds !== undefined)
    return autoscaling;
  return { ...autoscaling, idle_timeout_seconds: DEFAULT_IDLE_TIMEOUT_SECONDS };
}

const envMap = z.record(
  z.string().regex(ENV_NAME, 'must be an environment variable name'),
  z.string(),
);

export const ServiceConfig = z
  .strictObject({
    ...metadata,
    project_id: uuidOrReference,
    name: z.string().regex(SERVICE_NAME, 'must be a DNS label of at most 54 characters'),
    description: text(500).optional(),
    category: z.string().optional(),
    access_type: z.enum(['private', 'public']).optional(),
    domains: z.array(z.string()).optional(),
    labels: labels.optional(),
    tags: z
      .array(z.string())
      .superRefine((value, ctx) => {
        const problem = tagsProblem(value);
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      })
      .optional(),
    image: z.string().min(1).optional(),
    source: z
      .strictObject({
        path: z.string().min(1),
        dockerfile: z.string().min(1),
        context: z.string().min(1),
      })
      .optional(),
    env: envMap.optional(),
    secret_env: envMap.optional(),
    resource_profile: z.string().min(1).optional(),
    resources: z.strictObject({ cpu: z.string(), memory: z.string() }).optional(),
    instances: z.number().int().min(0).max(100).optional(),
    min_instances: z.number().int().min(0).max(100).optional(),
    max_instances: z.number().int().min(1).max(100).optional(),
    autoscaling: z
      .strictObject({
        min_instances: z.number().int().min(0).max(100),
        max_instances: z.number().int().min(1).max(100),
        target_cpu_percent: z.number().int().min(1).max(100),
        target_concurrency: z
          .number()
          .int()
          .min(AUTOSCALING_BOUNDS.targetConcurrency.min)
          .max(AUTOSCALING_BOUNDS.targetConcurrency.max)
          .optional(),
        idle_timeout_seconds: z
          .number()
          .int()
          .min(AUTOSCALING_BOUNDS.idleTimeoutSeconds.min)
          .max(AUTOSCALING_BOUNDS.idleTimeoutSeconds.max)
          .optional(),
      })
      .refine((a) => a.idle_timeout_seconds === undefined || a.min_instances === 0, {
        message: IDLE_TIMEOUT_NEEDS_ZERO,
        path: ['idle_timeout_seconds'],
      })
      .optional(),
    port: z.number().int().min(SERVICE_PORT_RANGE.min).max(SERVICE_PORT_RANGE.max).optional(),
    health_check_path: z.string().startsWith('/').optional(),
    volumes: z
      .array(
        z.strictObject({
          name: z.string().regex(PROFILE_NAME, 'must be a lowercase DNS label'),
          mount_path: z
            .string()
            .regex(/^\/(?!tmp(\/|$))/, 'must be an absolute path, not under /tmp'),
          size: z.string().regex(QUANTITY, 'must be a size such as 10Gi'),
        }),
      )
      .max(8, 'at most 8 volumes')
      .optional(),
    command: z.array(z.string()).optional(),
    args: z.array(z.string()).optional(),
  })
  .refine((s) => (s.image === undefined) !== (s.source === undefined), {
    message: 'declares either image or source, exactly one',
  })
  .refine((s) => !(s.resource_profile !== undefined && s.resources !== undefined), {
    message: 'declares resource_profile or resources, not both',
  });
export type ServiceConfig = z.infer<typeof ServiceConfig>;

export const AccessKeyConfig = z
  .strictObject({
    ...metadata,
    name: z.string().min(1).max(100),
    scope: z.enum(['org', 'project']),
    org_id: uuidOrReference.optional(),
    project_id: uuidOrReference.optional(),
    labels: labels.optional(),
  })
  .refine((k) => (k.scope === 'project') === (k.project_id !== undefined), {
    message: 'a project key names its project_id; an org key names none',
  });
export type AccessKeyConfig = z.infer<typeof AccessKeyConfig>;

export const RESOURCE_SCHEMAS = {
  slipway_project: ProjectConfig,
  slipway_resource_profile: ResourceProfileConfig,
  slipway_service: ServiceConfig,
  slipway_access_key: AccessKeyConfig,
} as const satisfies Record<ResourceType, z.ZodType>;

export interface AttributeRule {
  /** Shown as `(sensitive)` in plans and never printed. */
  readonly sensitive?: boolean;
  /** A change cannot be made in place: the resource is replaced. */
  readonly forcesReplacement?: boolean;
}

/** How each declared attribute behaves in a plan (attributes not listed update in place). */
export const ATTRIBUTE_RULES: Readonly<
  Record<ResourceType, Readonly<Record<string, AttributeRule>>>
> = {
  slipway_project: { org_id: { forcesReplacement: true } },
  slipway_resource_profile: {
    name: { forcesReplacement: true },
    cpu: { forcesReplacement: true },
    memory: { forcesReplacement: true },
    gpu_type: { forcesReplacement: true },
    gpu_count: { forcesReplacement: true },
  },
  slipway_service: {
    project_id: { forcesReplacement: true },
    name: { forcesReplacement: true },
    secret_env: { sensitive: true },
  },
  slipway_access_key: {
    name: { forcesReplacement: true },
    scope: { forcesReplacement: true },
    org_id: { forcesReplacement: true },
    project_id: { forcesReplacement: true },
    labels: { forcesReplacement: true },
  },
};

/** Attributes a resource exposes once it exists (never compared in plans). */
export const COMPUTED_ATTRIBUTES: Readonly<Record<ResourceType, readonly string[]>> = {
  slipway_project: ['id', 'org_id'],
  slipway_resource_profile: ['id'],
  slipway_service: ['id', 'hostname', 'status', 'org_id', 'deployment_id'],
  slipway_access_key: ['id', 'key', 'org_id'],
};
