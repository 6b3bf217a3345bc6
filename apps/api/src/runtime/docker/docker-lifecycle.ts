/**
 * The container steps every docker-runtime change is made of: list a service's containers,
 * start instances, wait for readiness, mark them live, set the leaving ones aside, and
 * (once the route moved and they drained) stop them. Rollouts, scaling and restarts
 * compose these in different orders.
 */
import { MANAGED_BY, servicePort, type ServiceSpec } from '@slipway/k8s-spec';
import type Dockerode from 'dockerode';
import {
  RolloutCancelledError,
  RolloutFailedError,
  type Endpoint,
  type RolloutOptions,
} from '../runtime-driver';
import {
  LIVE_RESTART_POLICY,
  STARTING_RESTART_POLICY,
  type ContainerSpecOptions,
} from './container-spec';
import { engineMessage, ignoringGone, isStatus } from './docker-errors';
import { type PullPolicy, type RegistryAuth } from './docker-images';
import { DockerVolumes } from './docker-volumes';
import {
  DOCKER_LABELS,
  isSetAside,
  retiredContainerName,
  serviceContainersFilter,
} from './docker-naming';
import { exitDescription, instanceFailure, waitForReady, type ReadinessCheck } from './readiness';

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
  /** SIGTERM grace before SIGKILL. */
  readonly stopTimeoutSeconds: number;
  /** @default 500 */
  readonly readinessPollMs?: number;
  /** Extra labels on every container (tests use them to find and clean up theirs). */
  readonly labels?: Readonly<Record<string, string>>;
  /** Labels every container; without it `ownedInstances` answers none (nothing is reaped). */
  readonly installationId?: string;
}

/** A container started by the change in progress. */
export interface NewInstance {
  readonly id: string;
  readonly name: string;
  readonly container: Dockerode.Container;
}

export type Progress = (message: string) => void;

export class DockerLifecycle {
  private pendingNetwork: Promise<void> | undefined;
  /** Stateful services' named volumes. */
  readonly volumes: DockerVolumes;

  constructor(
    readonly docker: Dockerode,
    readonly options: DockerRuntimeOptions,
  ) {
    this.volumes = new DockerVolumes(docker, this.specOptions.labels ?? {});
  }

  get specOptions(): ContainerSpecOptions {
    return {
      network: this.options.network,
      collectorEndpoint: this.options.collectorEndpoint,
      stopTimeoutSeconds: this.options.stopTimeoutSeconds,
      labels: {
        ...this.options.labels,
        ...(this.options.installationId === undefined
          ? {}
          : { [DOCKER_LABELS.installationId]: this.options.installationId }),
      },
    };
  }

  /** Concurrent callers share one check-and-create: two creates would make two networks. */
  ensureNetwork(): Promise<void> {
    this.pendingNetwork ??= this.createNetworkIfMissing().finally(() => {
      this.pendingNetwork = undefined;
    });
    return this.pendingNetwork;
  }

  private async createNetworkIfMissing(): Promise<void> {
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

  async serviceContainers(serviceId: string): Promise<Dockerode.ContainerInfo[]> {
    return this.docker.listContainers({ all: true, filters: serviceContainersFilter(serviceId) });
  }

  async inspectService(serviceId: string): Promise<Dockerode.ContainerInspectInfo[]> {
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

  /** Creates and starts one instance; `started` gets it as soon as it exists (for cleanup). */
  async createAndStart(
    create: Dockerode.ContainerCreateOptions & { name: string },
    started: NewInstance[],
  ): Promise<void> {
    const container = await this.docker.createContainer(create);
    started.push({ id: container.id, name: create.name, container });
    try {
      await container.start();
    } catch (error) {
      throw new RolloutFailedError(
        `instance ${create.name} could not start: ${engineMessage(error)}`,
      );
    }
  }

  /** Endpoints of `instances` once every one passes readiness; the first failure stops the wait. */
  async waitUntilAllReady(
    spec: ServiceSpec,
    instances: readonly NewInstance[],
    options: RolloutOptions,
  ): Promise<Endpoint[]> {
    const stop = new AbortController();
    const abort = (): void => stop.abort(new RolloutCancelledError());
    options.signal.addEventListener('abort', abort, { once: true });
    if (options.signal.aborted) abort();
    const check: ReadinessCheck = {
      port: servicePort(spec),
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
  async markLive(instances: readonly NewInstance[]): Promise<void> {
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

  /**
   * Takes containers out of the live set while they keep running and serving whoever the
   * route still sends there: renamed aside (their names are free for replacements, and the
   * name marks them for removal) and no longer restarted or counted as ready.
   */
  async setAside(containerIds: readonly string[]): Promise<void> {
    await Promise.all(
      containerIds.map((id) =>
        ignoringGone(async () => {
          const container = this.docker.getContainer(id);
          await container.update({ RestartPolicy: { Name: STARTING_RESTART_POLICY } });
          await container.rename({ name: retiredContainerName(id) });
        }),
      ),
    );
  }

  /**
   * Stops the service's containers among `containerIds` (SIGTERM, the grace period, then
   * SIGKILL) and removes those set aside; a paused instance stays, stopped.
   */
  async retire(serviceId: string, containerIds: readonly string[]): Promise<void> {
    const wanted = new Set(containerIds);
    const containers = (await this.serviceContainers(serviceId)).filter((info) =>
      wanted.has(info.Id),
    );
    await Promise.all(
      containers.map(async (info) => {
        await this.stop(info.Id);
        if (isSetAside(info.Names)) await this.removeContainer(this.docker.getContainer(info.Id));
      }),
    );
  }

  /**
   * SIGTERM, the container's own grace period (its StopTimeout: the service's setting or
   * the runtime's default), then SIGKILL; a container already gone is fine.
   */
  async stop(containerId: string): Promise<void> {
    const container = this.docker.getContainer(containerId);
    await ignoringGone(() => container.stop());
  }

  async removeContainer(container: Dockerode.Container): Promise<void> {
    await ignoringGone(() => container.remove({ force: true }));
  }
}

export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
