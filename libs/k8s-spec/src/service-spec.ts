/**
 * The typed input of `renderServiceObjects`: everything a user can set on a service
 * deployment, already resolved by the API (resource profile applied, secrets decrypted).
 */
import type { AccessType, GPU_COUNTS, GpuType } from '@slipway/contracts';
import type { Cpu, Size } from './quantities';

// GPU types and counts are shared with the API (libs/contracts), so both accept the same set.
export type { GpuType };
export type GpuCount = (typeof GPU_COUNTS)[number];

/** Replica bounds the platform accepts for one service. */
export const MAX_REPLICAS = 100;

/**
 * An org, project or service: the immutable id plus the name used in object names.
 * The name must not change after creation, or object names would change with it.
 */
export interface Identity {
  readonly id: string;
  readonly name: string;
}

export interface EnvVarSpec {
  readonly name: string;
  readonly value: string;
  /**
   * Stored in the service's Secret and referenced from the pod; never in the pod spec.
   * @default false
   */
  readonly secret?: boolean;
}

export interface ResourceList {
  readonly cpu?: Cpu;
  readonly memory?: Size;
}

export interface ResourcesSpec {
  /** @default the platform's default requests, capped at the limits */
  readonly requests?: ResourceList;
  /** @default the platform's default limits, raised to the requests */
  readonly limits?: ResourceList;
}

export interface GpuSpec {
  readonly type: GpuType;
  /** @default 1 */
  readonly count?: GpuCount;
}

export interface AutoscalingSpec {
  /** 0 enables scale-to-zero: the platform's wake-from-zero handles it, not an HPA. */
  readonly minReplicas: number;
  readonly maxReplicas: number;
  /**
   * Average CPU utilization target, percent of the request.
   * @default 80 when no other target is set
   */
  readonly targetCpuUtilization?: number;
  /** Average GPU utilization target, percent (10..95); needs `gpu`. */
  readonly targetGpuUtilization?: number;
  /** Average in-flight requests per instance. */
  readonly targetConcurrency?: number;
}

export interface StartupProbeSpec {
  /** @default the health check path; a TCP check on the port when neither is set */
  readonly path?: string;
  /** @default 0 */
  readonly initialDelaySeconds?: number;
  /** @default 5 */
  readonly periodSeconds?: number;
  /** @default 2 */
  readonly timeoutSeconds?: number;
  /** Tries before the instance counts as failed to start. @default 60 (5 minutes) */
  readonly failureThreshold?: number;
}

/** A disk per instance; any volume makes the service stateful (a StatefulSet). */
export interface VolumeSpec {
  /** DNS-1123 label, unique within the service. */
  readonly name: string;
  readonly mountPath: string;
  readonly size: Size;
  /** @default the platform's storage class, else the cluster default */
  readonly storageClassName?: string;
}

export interface ServiceSpec {
  readonly org: Identity;
  readonly project: Identity;
  /** `name` must be a DNS-1035 label (it becomes part of the hostname). */
  readonly service: Identity;
  readonly deploymentId: string;
  /** Image reference as given or as built (`registry/repo:tag`). */
  readonly image: string;
  /** `sha256:…`; when known the pod pulls by digest so a moved tag cannot change it. */
  readonly imageDigest?: string;
  /** Overrides the image's ENTRYPOINT. @default the image's */
  readonly command?: readonly string[];
  /** Overrides the image's CMD. @default the image's */
  readonly args?: readonly string[];
  /** @default [] */
  readonly env?: readonly EnvVarSpec[];
  /** The service token (`slp_st_…`); reaches the pod only through the Secret. */
  readonly serviceToken: string;
  /** Recorded as an annotation; the API has already resolved it into `resources`. */
  readonly resourceProfileId?: string;
  readonly resources?: ResourcesSpec;
  /** @default no GPU */
  readonly gpu?: GpuSpec;
  /** Fixed instance count; exclusive with `autoscaling`. @default 1 */
  readonly replicas?: number;
  readonly autoscaling?: AutoscalingSpec;
  /** The port the container listens on, also given to it as `PORT`. @default 8080 */
  readonly port?: number;
  /** Readiness, liveness (and default startup) probe path. @default TCP checks on the port */
  readonly healthCheckPath?: string;
  readonly startupProbe?: StartupProbeSpec;
  /**
   * After the drain, how long the process has between SIGTERM and SIGKILL (1-300 s).
   * @default the platform's: `terminationGracePeriodSeconds` minus the drain on Kubernetes,
   * `SLIPWAY_DOCKER_STOP_TIMEOUT_SECONDS` (10) on Docker
   */
  readonly stopGracePeriodSeconds?: number;
  /** @default [] (stateless) */
  readonly volumes?: readonly VolumeSpec[];
  /** Extra hostnames routed through the edge, one Ingress each. @default [] */
  readonly customDomains?: readonly string[];
  /** @default 'private' */
  readonly accessType?: AccessType;
  /** User labels (tags) on every object; reserved prefixes are refused. @default {} */
  readonly labels?: Readonly<Record<string, string>>;
  /** ISO timestamp; changing it rolls every instance (the rolling-restart hook). */
  readonly restartedAt?: string;
}
