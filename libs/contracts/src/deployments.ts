/** Deployment, instance and runtime-status shapes of the public API (`/v1/services/{id}/…`). */

import type { DeploymentRepo } from './git';

/**
 * A source deployment goes `building → deploying → succeeded`; an image deployment starts
 * at `deploying`. `cancelled`: a newer deployment superseded it before it finished.
 */
export const DEPLOYMENT_STATUSES = [
  'building',
  'deploying',
  'succeeded',
  'build_failed',
  'deployment_failed',
  'cancelled',
] as const;
export type DeploymentStatus = (typeof DEPLOYMENT_STATUSES)[number];

/** States a deployment can still leave; at most one per service is rolling out at a time. */
export const IN_PROGRESS_DEPLOYMENT_STATUSES = [
  'building',
  'deploying',
] as const satisfies readonly DeploymentStatus[];

export function isDeploymentInProgress(status: DeploymentStatus): boolean {
  return (IN_PROGRESS_DEPLOYMENT_STATUSES as readonly DeploymentStatus[]).includes(status);
}

/** Shown instead of a secret env value in every response. */
export const MASKED_SECRET_VALUE = '********';

export interface ResourceQuantities {
  cpu: string;
  memory: string;
}

export interface DeploymentResources {
  requests: ResourceQuantities;
  limits: ResourceQuantities;
}

export interface DeploymentEnvVar {
  name: string;
  /** `MASKED_SECRET_VALUE` when `secret` is true. */
  value: string;
  secret: boolean;
}

export interface AutoscalingMetric {
  type: 'resource';
  resource: {
    name: 'cpu';
    target: { type: 'utilization'; average_utilization: number };
  };
}

export interface DeploymentAutoscaling {
  min_replicas: number;
  max_replicas: number;
  metrics: AutoscalingMetric[];
  /** In-flight requests per instance to scale to (docker runtime); null: not by concurrency. */
  target_concurrency?: number | null;
  /** With min_replicas 0: seconds without a request before the service sleeps. */
  idle_timeout_seconds?: number | null;
}

/** How long a service that may sleep (`min_replicas` 0) waits without a request. */
export const DEFAULT_IDLE_TIMEOUT_SECONDS = 900;

export interface DeploymentStartupProbe {
  path?: string;
  initial_delay_seconds?: number;
  period_seconds?: number;
  timeout_seconds?: number;
  failure_threshold?: number;
}

export interface DeploymentSource {
  type: 'archive';
  sha256: string;
  size_bytes: number;
  docker: { file: string; context: string };
}

/** Persistent storage: each instance has its own volume of each. */
export interface DeploymentVolume {
  name: string;
  mount_path: string;
  /** Per instance, as given (`10Gi`). */
  size: string;
}

export interface DeploymentResource {
  id: string;
  service_id: string;
  status: DeploymentStatus;
  /** Why the deployment exists: `deploy`, `redeploy`, `rollback`, ... */
  trigger: string;
  started_by: string;
  started_at: string;
  ended_at: string | null;
  /** The image as given, or as built (`<registry>/<org>/<project>/<service>:<deployment id>`). */
  image: string | null;
  /** `sha256:…` once known (after the build's push, or from the runtime). */
  image_digest: string | null;
  source: DeploymentSource | null;
  resource_profile_id: string | null;
  resources: DeploymentResources;
  env: DeploymentEnvVar[];
  replicas: number;
  autoscaling: DeploymentAutoscaling | null;
  startup_probe: DeploymentStartupProbe | null;
  health_check_path: string | null;
  /** Built from a git repository: which branch and commit; null otherwise. */
  repo: DeploymentRepo | null;
  /** The port its containers listen on. */
  port: number;
  /** Seconds between SIGTERM and SIGKILL after the drain; null: the runtime's default. */
  stop_grace_period_seconds: number | null;
  command: string[] | null;
  args: string[] | null;
  /** Empty for a stateless service. */
  volumes: DeploymentVolume[];
  /** Human-readable: what failed and the evidence (build step output, exit code, last log lines). */
  failure_reason: string | null;
  created_at: string;
  updated_at: string;
}

export const INSTANCE_STATES = [
  'starting',
  'running',
  'restarting',
  'exited',
  'failed',
  'unknown',
] as const;
export type InstanceStateName = (typeof INSTANCE_STATES)[number];

/** One running (or failing) instance of a service: a container or a pod. */
export interface PodResource {
  name: string;
  deployment_id: string | null;
  status: InstanceStateName;
  ready: boolean;
  restarts: number;
  started_at: string | null;
  message: string | null;
}

/** Operations on a running service's instances that are not deployments. */
export const SERVICE_OPERATION_KINDS = ['scale', 'restart'] as const;
export type ServiceOperationKind = (typeof SERVICE_OPERATION_KINDS)[number];

/**
 * Who decided an operation: a user, or the platform putting an idle service to sleep, waking
 * it for a request, or scaling it to its in-flight requests.
 */
export const SERVICE_OPERATION_CAUSES = ['user', 'idle', 'wake', 'autoscale'] as const;
export type ServiceOperationCause = (typeof SERVICE_OPERATION_CAUSES)[number];

export const SERVICE_OPERATION_STATUSES = ['running', 'succeeded', 'failed'] as const;
export type ServiceOperationStatus = (typeof SERVICE_OPERATION_STATUSES)[number];

/** A scale or rolling restart: accepted at once (202), carried out in the background. */
export interface ServiceOperationResource {
  id: string;
  service_id: string;
  kind: ServiceOperationKind;
  /** The deployment whose instances it acts on. */
  deployment_id: string;
  /** Target instance count (scale), or the count restarted (restart). */
  instances: number;
  status: ServiceOperationStatus;
  /** Why it failed: what happened and the evidence. */
  failure_reason: string | null;
  cause: ServiceOperationCause;
  /** Why the platform decided it (null for a user's). */
  reason: string | null;
  /** The user who asked; null when the platform decided. */
  started_by: string | null;
  started_at: string;
  ended_at: string | null;
}

export interface ServiceRuntimeStatus {
  service_id: string;
  status: string;
  /** Why the service is `degraded` or `failed`; else null. */
  reason: string | null;
  /** Instances the live deployment should have (0 when paused). */
  desired: number;
  /** Instances that exist. */
  total: number;
  /** Instances passing readiness. */
  ready: number;
  /** Ready instances of the live deployment: what receives traffic. */
  available: number;
  /** The deployment being built or rolled out, if any. */
  rollout: { deployment_id: string; status: DeploymentStatus } | null;
  /** The deployment serving now, if any. */
  live_deployment_id: string | null;
  /** The scale or restart in progress, else the latest one (its outcome stays visible). */
  operation: ServiceOperationResource | null;
}

/** The longest stop grace period a deployment may ask for (SIGTERM to SIGKILL). */
export const MAX_STOP_GRACE_SECONDS = 300;
