/**
 * The docker runtime: one container per instance on a user-defined bridge network, reached
 * by the edge at the container's IP on 8080. Rollouts start the new instances, wait until
 * every one passes readiness and answer them with the old ones set aside; the caller moves
 * the route, and `retire` stops the old ones after the drain, so a redeploy drops no
 * requests and is done as soon as the new version serves.
 */
import type { Readable } from 'node:stream';
import { MANAGED_BY, resolveImage, type ServiceSpec } from '@slipway/k8s-spec';
import type Dockerode from 'dockerode';
import {
  InstanceNotFoundError,
  RolloutCancelledError,
  RolloutFailedError,
  type Endpoint,
  type Instance,
  type LogOptions,
  type OwnedInstance,
  type RolloutOptions,
  type ResourceUsage,
  type RolloutResult,
  type RuntimeDriver,
  type ServiceLogLine,
  type ServiceLogQuery,
  type DeleteOptions,
  type ServiceRef,
  type ServiceVolume,
} from '../runtime-driver';
import { containerCreateOptions, instanceCount } from './container-spec';
import { engineUnreachableReason, isEngineUnreachable, isStatus } from './docker-errors';
import { ensureImage, removeImages } from './docker-images';
import { liveEndpoints, toInstances } from './docker-instances';
import { openLogStream } from './docker-logs';
import { readServiceLogs } from './docker-service-logs';
import { readServiceUsage } from './docker-usage';
import {
  DOCKER_LABELS,
  isContainerName,
  retiredContainerName,
  serviceContainersFilter,
  setAsideAt as setAsideAtOf,
} from './docker-naming';
import {
  DockerLifecycle,
  plural,
  type DockerRuntimeOptions,
  type NewInstance,
} from './docker-lifecycle';
import { restartInstances, scaleInstances } from './docker-operations';
import { rollStateful } from './docker-stateful';

export type { DockerRuntimeOptions } from './docker-lifecycle';

export const DEFAULT_DOCKER_NETWORK = 'slipway';

const isStateful = (spec: ServiceSpec): boolean => (spec.volumes ?? []).length > 0;
const PING_TIMEOUT_MS = 2000;

export class DockerRuntimeDriver implements RuntimeDriver {
  readonly kind = 'docker' as const;

  private readonly lifecycle: DockerLifecycle;

  constructor(
    private readonly docker: Dockerode,
    private readonly options: DockerRuntimeOptions,
  ) {
    this.lifecycle = new DockerLifecycle(docker, options);
  }

  rollout(spec: ServiceSpec, options: RolloutOptions): Promise<RolloutResult> {
    return failingFastWithoutEngine(() => this.rollOut(spec, options));
  }

  private async rollOut(spec: ServiceSpec, options: RolloutOptions): Promise<RolloutResult> {
    if (isStateful(spec)) return rollStateful(this.lifecycle, spec, options);
    const { signal } = options;
    const progress = (message: string): void => options.onProgress?.(message);
    if (signal.aborted) throw new RolloutCancelledError();
    const creates = Array.from({ length: instanceCount(spec) }, (_, index) =>
      containerCreateOptions(spec, index, this.lifecycle.specOptions),
    );
    await this.lifecycle.ensureNetwork();
    const image = resolveImage(spec);
    const pulled = await cancellable(signal, () =>
      ensureImage(this.docker, image, this.options.pullPolicy, this.options.registryAuth, signal),
    );
    if (pulled === 'pulled') progress(`pulled image ${image}`);

    // Everything present now is replaced; containers of a newer rollout are never in here.
    const before = await this.lifecycle.serviceContainers(spec.service.id);
    const started: NewInstance[] = [];
    let endpoints: Endpoint[];
    try {
      await this.startInstances(creates, spec.deploymentId, before, started);
      progress(`started ${plural(started.length, 'instance')}`);
      endpoints = await this.lifecycle.waitUntilAllReady(spec, started, options);
      await this.lifecycle.markLive(started);
      if (signal.aborted) throw new RolloutCancelledError();
    } catch (error) {
      await Promise.all(started.map(({ container }) => this.lifecycle.removeContainer(container)));
      if (signal.aborted) throw new RolloutCancelledError();
      throw error;
    }
    const fresh = new Set(started.map(({ id }) => id));
    const retiring = before.filter((info) => !fresh.has(info.Id)).map((info) => info.Id);
    await this.lifecycle.setAside(retiring);
    return { endpoints, retiring };
  }

  retire(ref: ServiceRef, instances: readonly string[]): Promise<void> {
    return this.lifecycle.retire(ref.service.id, instances);
  }

  async ownedInstances(): Promise<OwnedInstance[]> {
    const installationId = this.options.installationId;
    if (installationId === undefined) return [];
    const containers = await this.docker.listContainers({
      all: true,
      filters: {
        label: [
          `${DOCKER_LABELS.managedBy}=${MANAGED_BY}`,
          `${DOCKER_LABELS.installationId}=${installationId}`,
        ],
      },
    });
    return containers.map((info) => ownedInstance(info, this.options.network));
  }

  async reap(instances: readonly string[]): Promise<void> {
    await Promise.all(
      instances.map(async (id) => {
        await this.lifecycle.stop(id);
        await this.lifecycle.removeContainer(this.docker.getContainer(id));
      }),
    );
  }

  scale(spec: ServiceSpec, options: RolloutOptions): Promise<RolloutResult> {
    return failingFastWithoutEngine(() => scaleInstances(this.lifecycle, spec, options));
  }

  restart(spec: ServiceSpec, options: RolloutOptions): Promise<RolloutResult> {
    return failingFastWithoutEngine(() =>
      isStateful(spec)
        ? rollStateful(this.lifecycle, { ...spec, restartedAt: new Date().toISOString() }, options)
        : restartInstances(this.lifecycle, spec, options),
    );
  }

  volumes(ref: ServiceRef): Promise<ServiceVolume[]> {
    return this.lifecycle.volumes.list(ref.service.id);
  }

  exportVolume(volume: ServiceVolume, image: string): Promise<NodeJS.ReadableStream> {
    return this.lifecycle.volumes.export(volume, image);
  }

  importVolume(
    volume: ServiceVolume,
    image: string,
    archive: NodeJS.ReadableStream,
  ): Promise<void> {
    return this.lifecycle.volumes.import(volume, image, archive);
  }

  async ping(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`no answer in ${PING_TIMEOUT_MS} ms`)),
        PING_TIMEOUT_MS,
      );
    });
    try {
      await Promise.race([this.docker.ping(), timeout]);
    } catch (error) {
      throw new Error(engineUnreachableReason(error));
    } finally {
      clearTimeout(timer);
    }
  }

  serviceLogs(ref: ServiceRef, query: ServiceLogQuery): Promise<ServiceLogLine[]> {
    return readServiceLogs(this.docker, ref.service.id, query);
  }

  usage(ref: ServiceRef): Promise<ResourceUsage> {
    return readServiceUsage(this.docker, ref.service.id);
  }

  async instances(ref: ServiceRef): Promise<Instance[]> {
    return toInstances(await this.lifecycle.inspectService(ref.service.id));
  }

  async endpoints(ref: ServiceRef): Promise<Endpoint[]> {
    return liveEndpoints(await this.lifecycle.inspectService(ref.service.id), this.options.network);
  }

  /** The edge routes custom domains from the route table: nothing runs per domain here. */
  applyDomains(): Promise<void> {
    return Promise.resolve();
  }

  async logs(ref: ServiceRef, instance: string, options: LogOptions): Promise<Readable> {
    if (!isContainerName(instance)) throw new InstanceNotFoundError(instance);
    let info: Dockerode.ContainerInspectInfo;
    try {
      info = await this.docker.getContainer(instance).inspect();
    } catch (error) {
      if (isStatus(error, 404)) throw new InstanceNotFoundError(instance);
      throw error;
    }
    // The engine also resolves id prefixes; only the exact name of this service's container counts.
    const labels = info.Config.Labels ?? {};
    if (
      info.Name !== `/${instance}` ||
      labels[DOCKER_LABELS.managedBy] !== MANAGED_BY ||
      labels[DOCKER_LABELS.serviceId] !== ref.service.id
    ) {
      throw new InstanceNotFoundError(instance);
    }
    return openLogStream(this.docker.getContainer(info.Id), {
      tailLines: options.tailLines,
      follow: options.follow,
      signal: options.signal,
      tty: info.Config.Tty,
    });
  }

  async delete(
    ref: ServiceRef,
    builtImages: readonly string[] = [],
    options: DeleteOptions = {},
  ): Promise<void> {
    const containers = await this.docker.listContainers({
      all: true,
      filters: serviceContainersFilter(ref.service.id),
    });
    await Promise.all(
      containers.map(async (info) => {
        // Removing a running container kills it; a stop first gives it SIGTERM and its grace.
        if (options.force !== true) await this.lifecycle.stop(info.Id);
        await this.lifecycle.removeContainer(this.docker.getContainer(info.Id));
      }),
    );
    if (options.keepVolumes !== true) await this.lifecycle.volumes.removeAll(ref.service.id);
    await removeImages(this.docker, builtImages);
  }

  /**
   * Creates and starts the instances, recording each in `started` as soon as it exists so a
   * failure can remove it. A retried rollout of the same deployment keeps its running,
   * identical containers; a differing one still running is renamed aside and drained later.
   */
  private async startInstances(
    creates: readonly (Dockerode.ContainerCreateOptions & { name: string })[],
    deploymentId: string,
    before: readonly Dockerode.ContainerInfo[],
    started: NewInstance[],
  ): Promise<void> {
    const results = await Promise.allSettled(
      creates.map(async (create) => {
        const existing = before.find((info) => info.Names.includes(`/${create.name}`));
        if (existing !== undefined) {
          const container = this.docker.getContainer(existing.Id);
          const same =
            existing.Labels[DOCKER_LABELS.deploymentId] === deploymentId &&
            existing.Labels[DOCKER_LABELS.specHash] === create.Labels?.[DOCKER_LABELS.specHash];
          if (existing.State === 'running' && same) {
            started.push({ id: existing.Id, name: create.name, container });
            return;
          }
          if (existing.State === 'running') {
            await container.rename({ name: retiredContainerName(existing.Id) });
          } else {
            await this.lifecycle.removeContainer(container);
          }
        }
        await this.lifecycle.createAndStart(create, started);
      }),
    );
    const failed = results.find((result) => result.status === 'rejected');
    if (failed !== undefined) throw failed.reason;
  }
}

function ownedInstance(info: Dockerode.ContainerInfo, network: string): OwnedInstance {
  const setAsideAt = setAsideAtOf(info.Names);
  const address = info.NetworkSettings?.Networks[network]?.IPAddress ?? '';
  return {
    id: info.Id,
    serviceId: info.Labels[DOCKER_LABELS.serviceId] ?? '',
    deploymentId: info.Labels[DOCKER_LABELS.deploymentId] ?? null,
    address: address === '' ? null : address,
    setAsideAt: setAsideAt === undefined ? null : new Date(setAsideAt),
    createdAt: new Date(info.Created * 1000),
  };
}

/**
 * A change the engine cannot even be reached for fails at once with a reason naming the
 * engine, instead of being retried as if the platform had faltered.
 */
async function failingFastWithoutEngine(
  change: () => Promise<RolloutResult>,
): Promise<RolloutResult> {
  try {
    return await change();
  } catch (error) {
    if (isEngineUnreachable(error)) throw new RolloutFailedError(engineUnreachableReason(error));
    throw error;
  }
}

/** Runs `action`; when `signal` aborted meanwhile, its failure is a cancellation. */
async function cancellable<T>(signal: AbortSignal, action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (error) {
    if (signal.aborted) throw new RolloutCancelledError();
    throw error;
  }
}
