/**
 * Builds the runtime input (`ServiceSpec` from `@slipway/k8s-spec`) from a deployment's
 * stored settings, and checks a deploy request against the same rules before it is
 * accepted, so a spec the runtime would refuse is a 400 now rather than a failed rollout.
 */
import { Cpu, QuantityError, Size, validateServiceSpec, type ServiceSpec } from '@slipway/k8s-spec';
import { DomainError } from '../common/errors/domain-error';
import { type ServiceRef } from '../runtime/runtime-driver';
import { type DeploymentSettings, type StoredResources } from './deployment-settings';

export interface SpecInput {
  readonly ref: ServiceRef;
  readonly deploymentId: string;
  readonly image: string;
  readonly imageDigest: string | null;
  readonly settings: DeploymentSettings;
  /** Secret values already opened (the spec carries plaintext; only runtimes see it). */
  readonly openSecret: (sealed: string) => string;
  readonly serviceToken: string;
  readonly accessType: 'private' | 'public';
  /** The service's count from `POST /scale` (0 = paused), which outlives deployments. */
  readonly instances: number | null;
  /** Custom domains: one Ingress each on Kubernetes. */
  readonly customDomains: readonly string[];
}

/**
 * How many instances a deployment runs with on its service: paused means none; autoscaling
 * starts at its floor (at least one); otherwise the count set by `POST /scale`, else the
 * deployment's own.
 */
export function desiredInstances(settings: DeploymentSettings, instances: number | null): number {
  if (instances === 0) return 0;
  if (settings.autoscaling) return Math.max(1, settings.autoscaling.minReplicas);
  return instances ?? settings.replicas;
}

function quantity<T>(field: string, text: string, parse: (text: string) => T): T {
  try {
    return parse(text);
  } catch (error) {
    if (error instanceof QuantityError) throw DomainError.validation(`${field}: ${error.message}`);
    throw error;
  }
}

function resourcesOf(resources: StoredResources): ServiceSpec['resources'] {
  return {
    requests: {
      cpu: quantity('resources.requests.cpu', resources.requests.cpu, (t) => Cpu.parse(t)),
      memory: quantity('resources.requests.memory', resources.requests.memory, (t) =>
        Size.parse(t),
      ),
    },
    limits: {
      cpu: quantity('resources.limits.cpu', resources.limits.cpu, (t) => Cpu.parse(t)),
      memory: quantity('resources.limits.memory', resources.limits.memory, (t) => Size.parse(t)),
    },
  };
}

export function serviceSpecOf(input: SpecInput): ServiceSpec {
  const { settings } = input;
  return {
    org: input.ref.org,
    project: input.ref.project,
    service: input.ref.service,
    deploymentId: input.deploymentId,
    image: input.image,
    imageDigest: input.imageDigest ?? undefined,
    command: settings.command ?? undefined,
    args: settings.args ?? undefined,
    env: settings.env.map((entry) => ({
      name: entry.name,
      value: entry.secret ? input.openSecret(entry.value) : entry.value,
      secret: entry.secret,
    })),
    serviceToken: input.serviceToken,
    resourceProfileId: settings.resourceProfileId ?? undefined,
    resources: resourcesOf(settings.resources),
    replicas:
      settings.autoscaling && input.instances !== 0
        ? undefined
        : desiredInstances(settings, input.instances),
    // A paused service has no autoscaler: nothing may start instances until it is scaled up.
    autoscaling:
      settings.autoscaling && input.instances !== 0
        ? {
            minReplicas: settings.autoscaling.minReplicas,
            maxReplicas: settings.autoscaling.maxReplicas,
            targetCpuUtilization: settings.autoscaling.targetCpuUtilization,
          }
        : undefined,
    port: settings.port ?? undefined,
    healthCheckPath: settings.healthCheckPath ?? undefined,
    stopGracePeriodSeconds: settings.stopGracePeriodSeconds ?? undefined,
    startupProbe: settings.startupProbe ?? undefined,
    volumes: settings.volumes?.map((volume, index) => ({
      name: volume.name,
      mountPath: volume.mountPath,
      size: quantity(`volumes[${index}].size`, volume.size, (t) => Size.parse(t)),
    })),
    accessType: input.accessType,
    customDomains: input.customDomains.length > 0 ? input.customDomains : undefined,
  };
}

/** `spec.resources.limits.cpu` → `resources.limits.cpu`, `spec.healthCheckPath` → `health_check_path`. */
function apiField(path: string): string {
  return path.replace(/^spec\./, '').replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}

/** Throws a 400 listing every rule the spec breaks (as the API's field names). */
export function assertDeployable(spec: ServiceSpec): void {
  const problems = validateServiceSpec(spec);
  if (problems.length > 0) {
    throw DomainError.validation(
      problems.map((problem) => `${apiField(problem.path)}: ${problem.message}`).join('; '),
    );
  }
}
