import type Dockerode from 'dockerode';
import type { ResourceUsage } from '../runtime-driver';
import { isStatus } from './docker-errors';
import { serviceContainersFilter } from './docker-naming';

/** The fields of `GET /containers/{id}/stats` read here (cgroup v1 and v2 name them apart). */
export interface StatsSample {
  readonly cpu_stats?: CpuSample;
  readonly precpu_stats?: CpuSample;
  readonly memory_stats?: {
    readonly usage?: number;
    readonly stats?: Readonly<Record<string, number | undefined>>;
  };
}

interface CpuSample {
  readonly cpu_usage?: { readonly total_usage?: number; readonly percpu_usage?: number[] };
  readonly system_cpu_usage?: number;
  readonly online_cpus?: number;
}

/**
 * Cores in use between the engine's two samples, as `docker stats` computes it: the
 * container's share of the host's CPU time, times the host's CPUs.
 */
export function cpuCoresOf(sample: StatsSample): number {
  const now = sample.cpu_stats;
  const before = sample.precpu_stats;
  const used = (now?.cpu_usage?.total_usage ?? 0) - (before?.cpu_usage?.total_usage ?? 0);
  const system = (now?.system_cpu_usage ?? 0) - (before?.system_cpu_usage ?? 0);
  if (used <= 0 || system <= 0) return 0;
  const cpus = now?.online_cpus ?? now?.cpu_usage?.percpu_usage?.length ?? 1;
  return (used / system) * cpus;
}

/** Memory in use without the reclaimable page cache, as `docker stats` shows it. */
export function memoryBytesOf(sample: StatsSample): number {
  const usage = sample.memory_stats?.usage ?? 0;
  const stats = sample.memory_stats?.stats ?? {};
  // cgroup v2 names it inactive_file; v1 total_inactive_file.
  const cache = stats.inactive_file ?? stats.total_inactive_file ?? 0;
  return Math.max(0, usage - (cache < usage ? cache : 0));
}

/** Sums a one-shot stats read over the service's running containers (0 with none). */
export async function readServiceUsage(
  docker: Dockerode,
  serviceId: string,
): Promise<ResourceUsage> {
  const containers = await docker.listContainers({
    filters: { ...serviceContainersFilter(serviceId), status: ['running'] },
  });
  const samples = await Promise.all(
    containers.map(async (info): Promise<StatsSample | null> => {
      try {
        // Without one-shot the engine waits for a second sample, so the CPU delta is real.
        return await docker.getContainer(info.Id).stats({ stream: false });
      } catch (error) {
        // Stopped or removed since it was listed: it uses nothing.
        if (isStatus(error, 404) || isStatus(error, 409)) return null;
        throw error;
      }
    }),
  );
  let cpuCores = 0;
  let memoryBytes = 0;
  for (const sample of samples) {
    if (!sample) continue;
    cpuCores += cpuCoresOf(sample);
    memoryBytes += memoryBytesOf(sample);
  }
  return { cpuCores, memoryBytes };
}
