/**
 * What a deployment asked for, as stored (JSONB) on its row. Secret env values are kept
 * sealed (SecretBox); everything else is plain. A redeploy or rollback copies these as a
 * whole, so the configuration travels with the deployment, not only the image.
 */
export interface StoredEnvVar {
  readonly name: string;
  /** Plain value, or a SecretBox envelope when `secret`. */
  readonly value: string;
  readonly secret: boolean;
}

export interface StoredResources {
  readonly requests: { readonly cpu: string; readonly memory: string };
  readonly limits: { readonly cpu: string; readonly memory: string };
}

export interface StoredAutoscaling {
  readonly minReplicas: number;
  readonly maxReplicas: number;
  readonly targetCpuUtilization: number;
  /** In-flight requests per instance the docker runtime scales to. Absent: not by concurrency. */
  readonly targetConcurrency?: number | null;
  /** With `minReplicas` 0: how long without a request before it sleeps. Absent: never sleeps. */
  readonly idleTimeoutSeconds?: number | null;
}

export interface StoredStartupProbe {
  readonly path?: string;
  readonly initialDelaySeconds?: number;
  readonly periodSeconds?: number;
  readonly timeoutSeconds?: number;
  readonly failureThreshold?: number;
}

export interface StoredVolume {
  readonly name: string;
  readonly mountPath: string;
  /** As given (`10Gi`): parsed by `@slipway/k8s-spec` when the spec is built. */
  readonly size: string;
}

export interface DeploymentSettings {
  readonly resourceProfileId: string | null;
  readonly resources: StoredResources;
  readonly env: readonly StoredEnvVar[];
  readonly replicas: number;
  readonly autoscaling: StoredAutoscaling | null;
  readonly startupProbe: StoredStartupProbe | null;
  readonly healthCheckPath: string | null;
  /** The container's port. Absent in settings stored before it existed: 8080. */
  readonly port?: number | null;
  /** Absent in settings stored before it existed: the runtime's default applies. */
  readonly stopGracePeriodSeconds?: number | null;
  readonly command: readonly string[] | null;
  readonly args: readonly string[] | null;
  /** Absent in settings stored before it existed: stateless. */
  readonly volumes?: readonly StoredVolume[] | null;
}

export interface StoredSource {
  readonly sha256: string;
  readonly sizeBytes: number;
  readonly dockerFile: string;
  readonly dockerContext: string;
  /** Key in the blob store. */
  readonly blobKey: string;
}

export interface StoredRepo {
  readonly url: string;
  readonly branch: string;
  readonly dockerFile: string;
  readonly dockerContext: string;
  /** Whether the builder fetches a token to clone it. */
  readonly private: boolean;
  /** Known once the builder has cloned it. */
  readonly commitSha: string | null;
  readonly commitMessage: string | null;
}
