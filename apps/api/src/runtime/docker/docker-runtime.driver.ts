/**
 * The docker runtime: one container per instance on a user-defined bridge network, reached
 * by the edge at the container's IP on 8080. Rollouts start the new instances, wait until
 * every one passes readiness, hand the new endpoints to `onReady` (the route switches),
 * then drain and stop the old ones, so a redeploy drops no requests.
 */
import type { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { MANAGED_BY, resolveImage, type ServiceSpec } from '@slipway/k8s-spec';
import type Dockerode from 'dockerode';
import {
  InstanceNotFoundError,
  RolloutCancelledError,
  RolloutFailedError,
  type Endpoint,
  type Instance,
  type LogOptions,
  type RolloutOptions,
  type RolloutResult,
  type RuntimeDriver,
  type ServiceRef,
} from '../runtime-driver';
import {
  LIVE_RESTART_POLICY,
  containerCreateOptions,
  instanceCount,
  type ContainerSpecOptions,
} from './container-spec';
import { engineMessage, ignoringGone, isStatus } from './docker-errors';
import { ensureImage, removeImages, type PullPolicy, type RegistryAuth } from './docker-images';
import { liveEndpoints, toInstances } from './docker-instances';
import { openLogStream } from './docker-logs';
import {
  DOCKER_LABELS,
  isContainerName,
  retiredContainerName,
  serviceContainersFilter,
} from './docker-naming';
import { exitDescription, instanceFailure, waitForReady, type ReadinessCheck } from './readiness';

export const DEFAULT_DOCKER_NETWORK = 'slipway';
export const DEFAULT_READINESS_POLL_MS = 500;
/** Per-check timeout when the spec's startup probe does not set one. */
const DEFAULT_CHECK_TIMEOUT_SECONDS = 2;

export interface DockerRuntimeOptions {
  /** User-defined bridge network, created when missing (labelled as Slipway's). */
  readonly network: string;
  /** Pull only when the image is not in the engine (`missing`), or before every rollout. */
  readonly pullPolicy: PullPolicy;
  /** Credentials for pulls from the configured registry. */
  readonly registryAuth?: RegistryAuth;
  /** Injected as OTEL_EXPORTER_OTLP_ENDPOINT. */
  readonly collectorEndpoint: string;
  /** After the route switched, old instances keep running this long (in-flight requests finish). */
  readonly drainSeconds: number;
  /** SIGTERM grace before SIGKILL. */
  readonly stopTimeoutSeconds: number;
  /** @default 500 */
  readonly readinessPollMs?: number;
  /** Called with the new endpoints once they are ready and BEFORE old instances are drained. */
  readonly onReady?: (serviceId: string, endpoints: readonly Endpoint[]) => Promise<void>;
  /** Extra labels on every container (tests use them to find and clean up theirs). */
  readonly labels?: Readonly<Record<string, string>>;
}

/** A container of the rollout in progress. */
interface NewInstance {
  readonly id: string;
  readonly name: string;
  readonly container: Dockerode.Container;
}

export class DockerRuntimeDriver implements RuntimeDriver {
  readonly kind = 'docker' as const;

  constructor(
    private readonly docker: Dockerode,
    private readonly options: DockerRuntimeOptions,
  ) {}

  async rollout(spec: ServiceSpec, options: RolloutOptions): Promise<RolloutResult> {
    const { signal } = options;
    const progress = (message: string): void => options.onProgress?.(message);
    if (signal.aborted) throw new RolloutCancelledError();
    const specOptions: ContainerSpecOptions = {
      network: this.options.network,
      collectorEndpoint: this.options.collectorEndpoint,
      stopTimeoutSeconds: this.options.stopTimeoutSeconds,
      ...(this.options.labels === undefined ? {} : { labels: this.options.labels }),
    };
    const creates = Array.from({ length: instanceCount(spec) }, (_, index) =>
      containerCreateOptions(spec, index, specOptions),
    );
    await this.ensureNetwork();
    const image = resolveImage(spec);
    const pulled = await cancellable(signal, () =>
      ensureImage(this.docker, image, this.options.pullPolicy, this.options.registryAuth, signal),
    );
    if (pulled === 'pulled') progress(`pulled image ${image}`);

    // Everything present now is replaced; containers of a newer rollout are never in here.
    const before = await this.serviceContainers(spec.service.id);
    const started: NewInstance[] = [];
    let endpoints: Endpoint[];
    try {
      await this.startInstances(creates, spec.deploymentId, before, started);
      progress(`started ${plural(started.length, 'instance')}`);
      endpoints = await this.waitUntilAllReady(spec, started, options);
      await this.markLive(started);
      if (signal.aborted) throw new RolloutCancelledError();
    } catch (error) {
      await Promise.all(started.map(({ container }) => this.removeContainer(container)));
      if (signal.aborted) throw new RolloutCancelledError();
      throw error;
    }
    await this.options.onReady?.(spec.service.id, endpoints);
    const fresh = new Set(started.map(({ id }) => id));
    await this.retire(
      before.filter((info) => !fresh.has(info.Id)),
      progress,
    );
    return { endpoints };
  }

  async instances(ref: ServiceRef): Promise<Instance[]> {
    return toInstances(await this.inspectService(ref.service.id));
  }

  async endpoints(ref: ServiceRef): Promise<Endpoint[]> {
    return liveEndpoints(await this.inspectService(ref.service.id), this.options.network);
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

  async delete(ref: ServiceRef, builtImages: readonly string[] = []): Promise<void> {
    const containers = await this.docker.listContainers({
      all: true,
      filters: serviceContainersFilter(ref.service.id),
    });
    await Promise.all(
      containers.map((info) => this.removeContainer(this.docker.getContainer(info.Id))),
    );
    await removeImages(this.docker, builtImages);
  }

  private async ensureNetwork(): Promise<void> {
    const name = this.options.network;
    // The name filter matches substrings, hence the exact comparison.
    const networks = await this.docker.listNetworks({ filters: { name: [name] } });
    if (networks.some((network) => network.Name === name)) return;
    try {
      await this.docker.createNetwork({
        Name: name,
        Driver: 'bridge',
        CheckDuplicate: true,
        Labels: { [DOCKER_LABELS.managedBy]: MANAGED_BY },
      });
    } catch (error) {
      if (!isStatus(error, 409)) throw error; // created concurrently: fine
    }
  }

  private async serviceContainers(serviceId: string): Promise<Dockerode.ContainerInfo[]> {
    return this.docker.listContainers({ all: true, filters: serviceContainersFilter(serviceId) });
  }

  private async inspectService(serviceId: string): Promise<Dockerode.ContainerInspectInfo[]> {
    const containers = await this.serviceContainers(serviceId);
    const inspected = await Promise.all(
      containers.map(async (info) => {
        try {
          return await this.docker.getContainer(info.Id).inspect();
        } catch (error) {
          if (isStatus(error, 404)) return null; // removed between list and inspect
          throw error;
        }
      }),
    );
    return inspected.filter((info): info is Dockerode.ContainerInspectInfo => info !== null);
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
            await this.removeContainer(container);
          }
        }
        const container = await this.docker.createContainer(create);
        started.push({ id: container.id, name: create.name, container });
        try {
          await container.start();
        } catch (error) {
          throw new RolloutFailedError(
            `instance ${create.name} could not start: ${engineMessage(error)}`,
          );
        }
      }),
    );
    const failed = results.find((result) => result.status === 'rejected');
    if (failed !== undefined) throw failed.reason;
  }

  private async waitUntilAllReady(
    spec: ServiceSpec,
    instances: readonly NewInstance[],
    options: RolloutOptions,
  ): Promise<Endpoint[]> {
    // One failing instance stops the wait for the others.
    const stop = new AbortController();
    const abort = (): void => stop.abort(new RolloutCancelledError());
    options.signal.addEventListener('abort', abort, { once: true });
    if (options.signal.aborted) abort();
    const check: ReadinessCheck = {
      path: spec.healthCheckPath ?? spec.startupProbe?.path,
      timeoutMs: (spec.startupProbe?.timeoutSeconds ?? DEFAULT_CHECK_TIMEOUT_SECONDS) * 1000,
    };
    const deadline = Date.now() + options.readinessTimeoutMs;
    let ready = 0;
    try {
      const results = await Promise.allSettled(
        instances.map(async ({ container, name }) => {
          try {
            const endpoint = await waitForReady(container, name, {
              network: this.options.network,
              check,
              pollMs: this.options.readinessPollMs ?? DEFAULT_READINESS_POLL_MS,
              deadline,
              timeoutMs: options.readinessTimeoutMs,
              signal: stop.signal,
            });
            ready += 1;
            options.onProgress?.(`${ready}/${instances.length} instances ready`);
            return endpoint;
          } catch (error) {
            stop.abort(error);
            throw error;
          }
        }),
      );
      if (options.signal.aborted) throw new RolloutCancelledError();
      const endpoints: Endpoint[] = [];
      for (const result of results) {
        if (result.status === 'rejected') throw stop.signal.reason;
        endpoints.push(result.value);
      }
      return endpoints;
    } finally {
      options.signal.removeEventListener('abort', abort);
    }
  }

  /** Ready instances restart on crashes from now on; see STARTING_RESTART_POLICY. */
  private async markLive(instances: readonly NewInstance[]): Promise<void> {
    await Promise.all(
      instances.map(async ({ container, name }) => {
        await container.update({ RestartPolicy: { Name: LIVE_RESTART_POLICY } });
        // A crash between the last check and the switch would otherwise go unnoticed.
        const { State: state } = await container.inspect();
        if (!state.Running) {
          throw await instanceFailure(
            container,
            name,
            `${exitDescription(state)} right after becoming ready`,
          );
        }
      }),
    );
  }

  /** Drains, stops and removes the containers the rollout replaced. */
  private async retire(
    old: readonly Dockerode.ContainerInfo[],
    progress: (message: string) => void,
  ): Promise<void> {
    if (old.length === 0) return;
    // The route already points at the new instances: finish even if the rollout is
    // superseded now, or the old containers would linger.
    if (old.some((info) => info.State === 'running') && this.options.drainSeconds > 0) {
      progress(`draining ${plural(old.length, 'old instance')} for ${this.options.drainSeconds} s`);
      await sleep(this.options.drainSeconds * 1000);
    }
    await Promise.all(
      old.map(async (info) => {
        const container = this.docker.getContainer(info.Id);
        await ignoringGone(() => container.stop({ t: this.options.stopTimeoutSeconds }));
        await this.removeContainer(container);
      }),
    );
    progress(`stopped ${plural(old.length, 'old instance')}`);
  }

  private async removeContainer(container: Dockerode.Container): Promise<void> {
    await ignoringGone(() => container.remove({ force: true }));
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

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
