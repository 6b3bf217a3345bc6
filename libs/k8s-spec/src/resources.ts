import { GPU_RESOURCE } from './contract';
import type { ResolvedPlatform } from './platform';
import { maxOf, minOf, type Cpu, type Size } from './quantities';
import type { ServiceSpec } from './service-spec';

export interface ResolvedResources {
  readonly requests: { readonly cpu: Cpu; readonly memory: Size };
  readonly limits: { readonly cpu: Cpu; readonly memory: Size };
  readonly gpus: number;
}

/**
 * Requests and limits with defaults applied: a missing limit is the platform default
 * raised to the request, a missing request the platform default capped at the limit.
 * Both are always set, so every pod is sized and the HPA has a request to measure against.
 */
export function resolveResources(spec: ServiceSpec, platform: ResolvedPlatform): ResolvedResources {
  const defaults = platform.defaultResources;
  const given = spec.resources ?? {};
  const cpuLimit =
    given.limits?.cpu ?? maxOf(defaults.limits.cpu, given.requests?.cpu ?? defaults.limits.cpu);
  const memoryLimit =
    given.limits?.memory ??
    maxOf(defaults.limits.memory, given.requests?.memory ?? defaults.limits.memory);
  return {
    requests: {
      cpu: given.requests?.cpu ?? minOf(defaults.requests.cpu, cpuLimit),
      memory: given.requests?.memory ?? minOf(defaults.requests.memory, memoryLimit),
    },
    limits: { cpu: cpuLimit, memory: memoryLimit },
    gpus: spec.gpu === undefined ? 0 : (spec.gpu.count ?? 1),
  };
}

/** As a container's `resources`; GPUs only as a limit (Kubernetes sets the request equal). */
export function containerResources(resources: ResolvedResources): {
  requests: Record<string, string>;
  limits: Record<string, string>;
} {
  return {
    requests: {
      cpu: resources.requests.cpu.toString(),
      memory: resources.requests.memory.toString(),
    },
    limits: {
      cpu: resources.limits.cpu.toString(),
      memory: resources.limits.memory.toString(),
      ...(resources.gpus > 0 ? { [GPU_RESOURCE]: String(resources.gpus) } : {}),
    },
  };
}
