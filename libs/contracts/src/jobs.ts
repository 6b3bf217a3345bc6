/**
 * Job payload schemas. The producer parses before enqueueing and the consumer parses
 * again before acting, so a payload from an older or newer process fails loudly.
 */
import { z } from 'zod';
import { branchProblem, repoUrlProblem } from './git';

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
  'git_push',
  'repo_update',
  'restart',
  'token_rotation',
] as const;
export type DeployTrigger = (typeof DEPLOY_TRIGGERS)[number];

/** An API address the builder calls with the deployment's build token. */
const internalEndpoint = z.strictObject({
  url: z.url({ protocol: /^https?$/ }),
  /** One-time build token; never logged, never written into a pod spec. */
  token: z.string().min(16).max(512),
});

/** Built from a git repository: the builder clones the branch head. */
export const GitSourceSchema = z.strictObject({
  url: z.string().superRefine((value, ctx) => {
    const problem = repoUrlProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  }),
  branch: z.string().superRefine((value, ctx) => {
    const problem = branchProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  }),
  /** Where the repository's token is fetched, for a private repository (never in the job). */
  credentials: internalEndpoint.optional(),
});
export type GitSource = z.infer<typeof GitSourceSchema>;

/** What `GET` of the credentials endpoint answers: HTTP Basic for the clone. */
export const GitCredentialsSchema = z.strictObject({
  username: z.string().min(1).max(255),
  password: z.string().min(1).max(4096),
});
export type GitCredentials = z.infer<typeof GitCredentialsSchema>;

export const BuildJobPayloadSchema = z
  .strictObject({
    deploymentId: id,
    serviceId: id,
    projectId: id,
    orgId: id,
    /** An uploaded source bundle, served by the API's internal endpoint once per token. */
    bundle: internalEndpoint
      .extend({
        sha256: z.string().regex(/^[a-f0-9]{64}$/, 'must be 64 hex characters'),
        sizeBytes: z.number().int().positive(),
      })
      .optional(),
    git: GitSourceSchema.optional(),
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
  })
  .refine((payload) => (payload.bundle === undefined) !== (payload.git === undefined), {
    message: 'must name exactly one source: bundle or git',
  });
export type BuildJobPayload = z.infer<typeof BuildJobPayloadSchema>;

/** The commit a git build checked out (SHA-1, or SHA-256 in such repositories). */
export const BuiltCommitSchema = z.strictObject({
  sha: z.string().regex(/^[a-f0-9]{40}([a-f0-9]{24})?$/, 'must be a commit hash'),
  message: z.string().max(4096),
});
export type BuiltCommit = z.infer<typeof BuiltCommitSchema>;

/** What a successful build job returns (BullMQ hands it to the deploy job). */
export const BuildJobResultSchema = z.strictObject({
  image: imageReference,
  digest: sha256Digest,
  /** Set by git builds. */
  commit: BuiltCommitSchema.optional(),
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
  /** Leave a stateful service's volumes in place (absent in older jobs: delete them). */
  keepVolumes: z.boolean().default(false),
});
export type DeleteJobPayload = z.infer<typeof DeleteJobPayloadSchema>;

/** A volume backup or restore (`volume_transfers` holds what it asks for and its progress). */
export const VolumeTransferJobPayloadSchema = z.strictObject({
  transferId: id,
  serviceId: id,
});
export type VolumeTransferJobPayload = z.infer<typeof VolumeTransferJobPayloadSchema>;

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
  'volume-transfer': VolumeTransferJobPayloadSchema,
} as const;
export type ServiceJobName = keyof typeof SERVICE_JOBS;
export type ServiceJobPayload<N extends ServiceJobName> = z.infer<(typeof SERVICE_JOBS)[N]>;
export const SERVICE_JOB_NAMES = Object.keys(SERVICE_JOBS) as ServiceJobName[];
