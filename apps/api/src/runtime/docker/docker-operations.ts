/**
 * Scaling and rolling restarts on the docker runtime. Both act on one deployment's
 * containers (the live one) and keep the rollout's order: new instances pass readiness,
 * the route moves, and only then do leaving instances drain and stop.
 */
import { resolveImage, type ServiceSpec } from '@slipway/k8s-spec';
import type Dockerode from 'dockerode';
import {
  RolloutCancelledError,
  type Endpoint,
  type RolloutOptions,
  type RolloutResult,
} from '../runtime-driver';
import { STARTING_RESTART_POLICY, containerCreateOptions, instanceCount } from './container-spec';
import { ensureImage } from './docker-images';
import { liveEndpoints } from './docker-instances';
import { DOCKER_LABELS, retiredContainerName } from './docker-naming';
import { plural, type DockerLifecycle, type NewInstance } from './docker-lifecycle';

type Inspected = Dockerode.ContainerInspectInfo;

function indexOf(info: Inspected): number {
  return Number(info.Config.Labels?.[DOCKER_LABELS.instanceIndex] ?? Number.NaN);
}

/** The deployment's containers, by instance index (lowest first). */
async function deploymentContainers(
  lifecycle: DockerLifecycle,
  spec: ServiceSpec,
): Promise<Inspected[]> {
  const all = await lifecycle.inspectService(spec.service.id);
  return all
    .filter((info) => info.Config.Labels?.[DOCKER_LABELS.deploymentId] === spec.deploymentId)
    .sort((a, b) => indexOf(a) - indexOf(b));
}

async function currentEndpoints(
  lifecycle: DockerLifecycle,
  serviceId: string,
): Promise<Endpoint[]> {
  return liveEndpoints(await lifecycle.inspectService(serviceId), lifecycle.options.network);
}

function summary(info: Inspected): { Id: string; State: string } {
  return { Id: info.Id, State: info.State.Status };
}

/**
 * Sets the live deployment's instance count to `spec.replicas`. Stopped instances (a pause)
 * are started again before new ones are created; extra ones leave the route, drain and go.
 * 0 stops every instance and keeps the containers.
 */
export async function scaleInstances(
  lifecycle: DockerLifecycle,
  spec: ServiceSpec,
  options: RolloutOptions,
): Promise<RolloutResult> {
  const progress = (message: string): void => options.onProgress?.(message);
  const target = spec.replicas === 0 ? 0 : instanceCount(spec);
  const containers = await deploymentContainers(lifecycle, spec);
  const serviceId = spec.service.id;

  if (target === 0) {
    await lifecycle.serveFrom(serviceId, []);
    const running = containers.filter((info) => info.State.Running);
    await lifecycle.drain(running.map(summary), progress);
    // `unless-stopped` keeps an explicitly stopped container down, engine restarts included.
    await Promise.all(running.map((info) => lifecycle.stop(info.Id)));
    progress(`paused: stopped ${plural(running.length, 'instance')}`);
    return { endpoints: [] };
  }

  const kept = containers.filter((info) => indexOf(info) < target);
  const extra = containers.filter((info) => !(indexOf(info) < target));
  const starting: NewInstance[] = [];
  const created: NewInstance[] = [];
  try {
    await startMissing(lifecycle, spec, target, kept, starting, created, options);
    if (starting.length > 0) {
      progress(`starting ${plural(starting.length, 'instance')}`);
      await lifecycle.waitUntilAllReady(spec, starting, options);
      await lifecycle.markLive(starting);
    }
    if (options.signal.aborted) throw new RolloutCancelledError();
  } catch (error) {
    // Leave things as they were: new containers go, resumed ones stop again.
    await Promise.all(created.map(({ container }) => lifecycle.removeContainer(container)));
    const resumed = starting.filter((instance) => !created.includes(instance));
    await Promise.all(resumed.map(({ id }) => lifecycle.stop(id)));
    throw error;
  }
  const leaving = new Set(extra.map((info) => addressOf(info, lifecycle)));
  const endpoints = (await currentEndpoints(lifecycle, serviceId)).filter(
    (endpoint) => !leaving.has(endpoint.host),
  );
  await lifecycle.serveFrom(serviceId, endpoints);
  await lifecycle.retire(extra.map(summary), progress);
  return { endpoints };
}

/** Starts the stopped instances below `target` and creates the missing ones. */
async function startMissing(
  lifecycle: DockerLifecycle,
  spec: ServiceSpec,
  target: number,
  kept: readonly Inspected[],
  starting: NewInstance[],
  created: NewInstance[],
  options: RolloutOptions,
): Promise<void> {
  const missing: number[] = [];
  for (let index = 0; index < target; index += 1) {
    const existing = kept.find((info) => indexOf(info) === index);
    if (existing === undefined) {
      missing.push(index);
    } else if (!existing.State.Running) {
      const container = lifecycle.docker.getContainer(existing.Id);
      // Proves itself again before it counts as live (see STARTING_RESTART_POLICY).
      await container.update({ RestartPolicy: { Name: STARTING_RESTART_POLICY } });
      starting.push({ id: existing.Id, name: existing.Name.replace(/^\//, ''), container });
      await container.start();
    }
  }
  if (missing.length === 0) return;
  await ensureImage(
    lifecycle.docker,
    resolveImage(spec),
    lifecycle.options.pullPolicy,
    lifecycle.options.registryAuth,
    options.signal,
  );
  await lifecycle.ensureNetwork();
  await Promise.all(
    missing.map(async (index) => {
      const before = created.length;
      try {
        await lifecycle.createAndStart(
          containerCreateOptions(spec, index, lifecycle.specOptions),
          created,
        );
      } finally {
        starting.push(...created.slice(before));
      }
    }),
  );
}

function addressOf(info: Inspected, lifecycle: DockerLifecycle): string | undefined {
  return info.NetworkSettings.Networks[lifecycle.options.network]?.IPAddress;
}

/**
 * Replaces the live deployment's instances one at a time: the old container is renamed
 * aside, its replacement takes the name and passes readiness, the route swaps one for the
 * other, and the old one drains and stops. A failed replacement leaves the old one serving.
 */
export async function restartInstances(
  lifecycle: DockerLifecycle,
  spec: ServiceSpec,
  options: RolloutOptions,
): Promise<RolloutResult> {
  const progress = (message: string): void => options.onProgress?.(message);
  const restartedAt = new Date().toISOString();
  const olds = await deploymentContainers(lifecycle, spec);
  const serviceId = spec.service.id;
  let done = 0;
  for (const old of olds) {
    if (options.signal.aborted) throw new RolloutCancelledError();
    const name = old.Name.replace(/^\//, '');
    const index = indexOf(old);
    const oldContainer = lifecycle.docker.getContainer(old.Id);
    await oldContainer.rename({ name: retiredContainerName(old.Id) });
    const started: NewInstance[] = [];
    try {
      await lifecycle.createAndStart(
        containerCreateOptions({ ...spec, restartedAt }, index, lifecycle.specOptions),
        started,
      );
      await lifecycle.waitUntilAllReady(spec, started, options);
      await lifecycle.markLive(started);
    } catch (error) {
      await Promise.all(started.map(({ container }) => lifecycle.removeContainer(container)));
      await oldContainer.rename({ name });
      throw error;
    }
    const oldAddress = addressOf(old, lifecycle);
    const endpoints = (await currentEndpoints(lifecycle, serviceId)).filter(
      (endpoint) => endpoint.host !== oldAddress,
    );
    await lifecycle.serveFrom(serviceId, endpoints);
    await lifecycle.retire([summary(old)], () => undefined);
    done += 1;
    progress(`${done}/${olds.length} instances restarted`);
  }
  return { endpoints: await currentEndpoints(lifecycle, serviceId) };
}
