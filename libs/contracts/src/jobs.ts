/**
 * Job payload schemas. The producer parses before enqueueing and the consumer parses
 * again before acting, so a payload from an older or newer process fails loudly.
 */
import { z } from 'zod';

/** Ids travel as Kubernetes label values too, so they obey the label-value rules. */
const id = z
  .string()
  .min(1)
  .max(63)
  .regex(/^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/, 'must be a label-safe id');

/** A path inside the source bundle: relative, no `..`, no backslashes. */
const bundlePath = z
  .string()
  .min(1)
  .max(1024)
  .refine((p) => !p.startsWith('/') && !p.includes('\\'), 'must be a relative path')
  .refine((p) => !p.split('/').includes('..'), 'must stay inside the bundle (no "..")');

/** `registry/repository:tag`: what the builder pushes. */
const imageReference = z
  .string()
  .min(1)
  .max(512)
  .regex(/^[^\s@]+:[\w][\w.-]{0,127}$/, 'must be an image reference with a tag');

const sha256Digest = z.string().regex(/^sha256:[a-f0-9]{64}$/, 'must be sha256:<64 hex>');

export const DEPLOY_TRIGGERS = [
  'deploy',
  'redeploy',
  'rollback',
  'env_update',
  'port_update',
  'restart',
  'token_rotation',
] as const;
export type DeployTrigger = (typeof DEPLOY_TRIGGERS)[number];

export const BuildJobPayloadSchema = z.strictObject({
  deploymentId: id,
  serviceId: id,
  projectId: id,
  orgId: id,
  bundle: z.strictObject({
    /** The API's internal endpoint that serves the bundle once per token. */
    url: z.url({ protocol: /^https?$/ }),
    /** One-time build token; never logged, never written into a pod spec. */
    token: z.string().min(16).max(512),
    sha256: z.string().regex(/^[a-f0-9]{64}$/, 'must be 64 hex characters'),
    sizeBytes: z.number().int().positive(),
  }),
  docker: z.strictObject({
    /** Dockerfile path relative to the bundle root. */
    file: bundlePath,
    /** Build context directory relative to the bundle root. */
    context: bundlePath,
  }),
  /** Where to push: `<registry>/<org>/<project>/<service>:<deployment id>`. */
  destination: imageReference,
  /** Layer cache repository, when the driver supports one. */
  cacheRepository: z.string().min(1).max(512).optional(),
});
export type BuildJobPayload = z.infer<typeof BuildJobPayloadSchema>;

/** What a successful build job returns (BullMQ hands it to the deploy job). */
export const BuildJobResultSchema = z.strictObject({
  image: imageReference,
  digest: sha256Digest,
});
export type BuildJobResult = z.infer<typeof BuildJobResultSchema>;

export const DeployJobPayloadSchema = z.strictObject({
  deploymentId: id,
  serviceId: id,
  projectId: id,
  orgId: id,
  trigger: z.enum(DEPLOY_TRIGGERS),
  /** Set for image deploys; a source deploy takes the image from its build's result. */
  image: z.string().min(1).max(512).optional(),
});
export type DeployJobPayload = z.infer<typeof DeployJobPayloadSchema>;

/** A scale or restart accepted by the API (`service_operations` holds what it asks for). */
export const OperationJobPayloadSchema = z.strictObject({
  operationId: id,
  serviceId: id,
});
export type OperationJobPayload = z.infer<typeof OperationJobPayloadSchema>;

/**
 * Instances that left a service's traffic and must drain, stop and go. Enqueued with the
 * drain period as its delay, after the route that no longer includes them committed.
 */
export const RetireJobPayloadSchema = z.strictObject({
  serviceId: id,
  /** Runtime instance ids (docker container ids). */
  instances: z.array(z.string().regex(/^[a-f0-9]{12,64}$/, 'must be a container id')).min(1),
});
export type RetireJobPayload = z.infer<typeof RetireJobPayloadSchema>;

/** Removes a service: its instances, route, images, bundles, then its row. */
export const DeleteJobPayloadSchema = z.strictObject({
  serviceId: id,
  /** Stop the instances at once instead of draining them (absent in older jobs: drain). */
  force: z.boolean().default(false),
});
export type DeleteJobPayload = z.infer<typeof DeleteJobPayloadSchema>;

/**
 * Every change to a running service is a job on the one `deploy` queue; this map is the
 * only place its job names and payloads are declared. Producers parse before enqueueing,
 * the API's processor parses again before acting.
 */
export const SERVICE_JOBS = {
  deploy: DeployJobPayloadSchema,
  operation: OperationJobPayloadSchema,
  retire: RetireJobPayloadSchema,
  delete: DeleteJobPayloadSchema,
} as const;
export type ServiceJobName = keyof typeof SERVICE_JOBS;
export type ServiceJobPayload<N extends ServiceJobName> = z.infer<(typeof SERVICE_JOBS)[N]>;
export const SERVICE_JOB_NAMES = Object.keys(SERVICE_JOBS) as ServiceJobName[];
