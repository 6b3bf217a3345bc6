/**
 * The container contract on Docker: a ServiceSpec rendered to the Engine's create options.
 * Pure, so the flags are unit-tested without an engine.
 */
import { createHash } from 'node:crypto';
import { INJECTED_ENV, otlpHeadersFor } from '@slipway/contracts';
import {
  CONTAINER_CONTRACT,
  servicePort,
  DEFAULT_RESOURCES,
  MANAGED_BY,
  resolveImage,
  type Cpu,
  type ServiceSpec,
  type Size,
} from '@slipway/k8s-spec';
import type Dockerode from 'dockerode';
import { DOCKER_LABELS, containerName, volumeName } from './docker-naming';

/** Enough for any web server's workers, low enough that a fork bomb cannot take the host. */
export const PIDS_LIMIT = 512;
/** The engine keeps at most 3 × 10 MB of logs per container, so a chatty service cannot fill the disk. */
const LOG_CONFIG = { Type: 'json-file', Config: { 'max-size': '10m', 'max-file': '3' } };

/**
 * Restart policy while an instance proves itself: `no`, so a crash before readiness leaves
 * the exit code and logs in place for the failure reason. Once ready it is switched to
 * `unless-stopped` (crashes restart and are counted; the engine's own restart brings
 * services back), and that switch also marks the instance as having passed readiness.
 */
export const STARTING_RESTART_POLICY = 'no';
export const LIVE_RESTART_POLICY = 'unless-stopped';

export interface ContainerSpecOptions {
  readonly network: string;
  readonly collectorEndpoint: string;
  readonly stopTimeoutSeconds: number;
  /** Extra labels on every container (platform labels still win). */
  readonly labels?: Readonly<Record<string, string>>;
}

/** How many containers a spec asks for: fixed replicas, else the autoscaling floor, at least 1. */
export function instanceCount(spec: ServiceSpec): number {
  // An autoscaled deployment starts at its floor, at least one: zero is reached by sleeping.
  return Math.max(1, spec.replicas ?? spec.autoscaling?.minReplicas ?? 1);
}

/** The limit given, else the platform default raised to the request (as on Kubernetes). */
function limitOf<T extends Cpu | Size>(
  limit: T | undefined,
  request: T | undefined,
  fallback: T,
): T {
  if (limit !== undefined) return limit;
  if (request === undefined) return fallback;
  return amount(request) > amount(fallback) ? request : fallback;
}

function amount(quantity: Cpu | Size): number {
  return 'millicores' in quantity ? quantity.millicores : quantity.bytes;
}

export function resourceLimits(spec: ServiceSpec): { nanoCpus: number; memoryBytes: number } {
  const given = spec.resources;
  const cpu = limitOf(given?.limits?.cpu, given?.requests?.cpu, DEFAULT_RESOURCES.limits.cpu);
  const memory = limitOf(
    given?.limits?.memory,
    given?.requests?.memory,
    DEFAULT_RESOURCES.limits.memory,
  );
  return { nanoCpus: cpu.millicores * 1_000_000, memoryBytes: memory.bytes };
}

/**
 * Injected variables win over the user's. On docker the container's env is the only way
 * to hand values to the process, so secret values travel here too (they are visible to
 * whoever can inspect containers on this engine, which is the engine's admin anyway).
 */
export function containerEnv(spec: ServiceSpec, collectorEndpoint: string): string[] {
  const env = new Map<string, string>();
  for (const entry of spec.env ?? []) env.set(entry.name, entry.value);
  env.set(INJECTED_ENV.serviceId, spec.service.id);
  env.set(INJECTED_ENV.serviceToken, spec.serviceToken);
  env.set(INJECTED_ENV.otlpEndpoint, collectorEndpoint);
  env.set(INJECTED_ENV.otlpHeaders, otlpHeadersFor(spec.serviceToken));
  env.set(INJECTED_ENV.otelServiceName, spec.service.name);
  env.set(INJECTED_ENV.port, String(servicePort(spec)));
  return [...env].map(([name, value]) => `${name}=${value}`);
}

export function containerLabels(
  spec: ServiceSpec,
  index: number,
  extra: Readonly<Record<string, string>> = {},
): Record<string, string> {
  return {
    ...spec.labels,
    ...extra,
    [DOCKER_LABELS.managedBy]: MANAGED_BY,
    [DOCKER_LABELS.orgId]: spec.org.id,
    [DOCKER_LABELS.projectId]: spec.project.id,
    [DOCKER_LABELS.serviceId]: spec.service.id,
    [DOCKER_LABELS.deploymentId]: spec.deploymentId,
    [DOCKER_LABELS.instanceIndex]: String(index),
    [DOCKER_LABELS.port]: String(servicePort(spec)),
    // A rolling restart changes only this, and with it the spec hash: every instance is replaced.
    ...(spec.restartedAt === undefined ? {} : { [DOCKER_LABELS.restartedAt]: spec.restartedAt }),
  };
}

/** Each instance mounts its own named volume of each of the service's volumes. */
function volumeMounts(spec: ServiceSpec, index: number): Dockerode.MountSettings[] {
  return (spec.volumes ?? []).map((volume) => ({
    Type: 'volume',
    Source: volumeName(spec, volume.name, index),
    Target: volume.mountPath,
    ReadOnly: false,
  }));
}

/** Create options of instance `index`, labelled with a hash of everything that shapes it. */
export function containerCreateOptions(
  spec: ServiceSpec,
  index: number,
  options: ContainerSpecOptions,
): Dockerode.ContainerCreateOptions & { name: string } {
  const name = containerName({
    serviceName: spec.service.name,
    serviceId: spec.service.id,
    deploymentId: spec.deploymentId,
    index,
  });
  const { nanoCpus, memoryBytes } = resourceLimits(spec);
  const gpus = spec.gpu === undefined ? 0 : (spec.gpu.count ?? 1);
  const create: Dockerode.ContainerCreateOptions & { name: string } = {
    name,
    Hostname: name,
    Image: resolveImage(spec),
    ...(spec.command === undefined ? {} : { Entrypoint: [...spec.command] }),
    ...(spec.args === undefined ? {} : { Cmd: [...spec.args] }),
    Env: containerEnv(spec, options.collectorEndpoint),
    User: `${CONTAINER_CONTRACT.uid}:${CONTAINER_CONTRACT.gid}`,
    Labels: containerLabels(spec, index, options.labels),
    // `docker stop` without a timeout (as retire and reap call it) honours this per container.
    StopTimeout: spec.stopGracePeriodSeconds ?? options.stopTimeoutSeconds,
    HostConfig: {
      NetworkMode: options.network,
      ReadonlyRootfs: true,
      // Docker adds noexec,nosuid,nodev to tmpfs mounts. Mode 1777 (as /tmp always is, and as
      // an emptyDir is on Kubernetes): the engine's default 0755 root-owned mount would leave
      // the contract's UID unable to write there.
      Tmpfs: {
        [CONTAINER_CONTRACT.tmpPath]: `rw,size=${CONTAINER_CONTRACT.tmpSize.bytes},mode=1777`,
      },
      // A minimal init as PID 1 forwards SIGTERM and reaps children, so a process that
      // ignores signals as PID 1 still stops within the grace period instead of being killed.
      Init: true,
      CapDrop: ['ALL'],
      SecurityOpt: ['no-new-privileges'],
      Memory: memoryBytes,
      // Equal to Memory: no swap, as on Kubernetes.
      MemorySwap: memoryBytes,
      NanoCpus: nanoCpus,
      PidsLimit: PIDS_LIMIT,
      RestartPolicy: { Name: STARTING_RESTART_POLICY },
      LogConfig: LOG_CONFIG,
      ...((spec.volumes ?? []).length > 0 ? { Mounts: volumeMounts(spec, index) } : {}),
      ...(gpus > 0
        ? { DeviceRequests: [{ Driver: 'nvidia', Count: gpus, Capabilities: [['gpu']] }] }
        : {}),
    },
  };
  create.Labels = { ...create.Labels, [DOCKER_LABELS.specHash]: specHash(create) };
  return create;
}

/** Stable hash of the create options, so a retried rollout can tell "same container" apart. */
export function specHash(create: Dockerode.ContainerCreateOptions): string {
  return createHash('sha256').update(JSON.stringify(create)).digest('hex').slice(0, 16);
}
