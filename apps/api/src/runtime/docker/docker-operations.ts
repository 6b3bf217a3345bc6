/**
 * Scaling and restarts on the docker runtime. Both act on one deployment's containers (the
 * live one) and keep the rollout's order: new instances pass readiness, and leaving ones
 * are answered as `retiring`, to drain and stop once the route moved.
 */
import { resolveImage, type ServiceSpec } from '@slipway/k8s-spec';
import type Dockerode from 'dockerode';
import {
  RolloutCancelledError,
  type Endpoint,
  type RolloutOptions,
  type RolloutResult,
} from '../runtime-driver';
import {
  LIVE_RESTART_POLICY,
  STARTING_RESTART_POLICY,
  containerCreateOptions,
  instanceCount,
} from './container-spec';
import { ensureImage } from './docker-images';
import { liveEndpoints } from './docker-instances';
import { DOCKER_LABELS, isSetAside, retiredContainerName } from './docker-naming';
import { plural, type DockerLifecycle, type NewInstance } from './docker-lifecycle';

type Inspected = Dockerode.ContainerInspectInfo;

function indexOf(info: Inspected): number {
  return Number(info.Config.Labels?.[DOCKER_LABELS.instanceIndex] ?? Number.NaN);
}

/** The deployment's containers not set aside, by instance index (lowest first). */
async function deploymentContainers(
  lifecycle: DockerLifecycle,
  spec: ServiceSpec,
): Promise<Inspected[]> {
  const all = await lifecycle.inspectService(spec.service.id);
  return all
    .filter((info) => info.Config.Labels?.[DOCKER_LABELS.deploymentId] === spec.deploymentId)
    .filter((info) => !isSetAside([info.Name]))
    .sort((a, b) => indexOf(a) - indexOf(b));
}

async function currentEndpoints(
  lifecycle: DockerLifecycle,
  serviceId: string,
): Promise<Endpoint[]> {
  return liveEndpoints(await lifecycle.inspectService(serviceId), lifecycle.options.network);
}

/**
 * Sets the live deployment's instance count to `spec.replicas`. Stopped instances (a pause)
 * are started again before new ones are created; extra ones are set aside as `retiring`.
 * 0 answers every running instance as `retiring` without setting it aside, so it is
 * stopped and kept.
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
    // `unless-stopped` keeps an explicitly stopped container down, engine restarts included.
    const running = containers.filter((info) => info.State.Running);
    progress(`pausing ${plural(running.length, 'instance')}`);
    return { endpoints: [], retiring: running.map((info) => info.Id) };
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
  const retiring = extra.map((info) => info.Id);
  await lifecycle.setAside(retiring);
  if (retiring.length > 0) progress(`${plural(retiring.length, 'instance')} leaving`);
  return { endpoints: await currentEndpoints(lifecycle, serviceId), retiring };
}

/** The image present and the network there: what creating an instance from scratch needs. */
async function readyToCreate(
  lifecycle: DockerLifecycle,
  spec: ServiceSpec,
  signal: AbortSignal,
): Promise<void> {
  await ensureImage(
    lifecycle.docker,
    resolveImage(spec),
    lifecycle.options.pullPolicy,
    lifecycle.options.registryAuth,
    signal,
  );
  await lifecycle.ensureNetwork();
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
    } else if (existing.HostConfig.RestartPolicy?.Name !== LIVE_RESTART_POLICY) {
      // Started by an attempt that died before it passed readiness: wait for it again.
      const container = lifecycle.docker.getContainer(existing.Id);
      starting.push({ id: existing.Id, name: existing.Name.replace(/^\//, ''), container });
    }
  }
  if (missing.length === 0) return;
  await readyToCreate(lifecycle, spec, options.signal);
  await Promise.all(
    missing.map(async (index) => {
      const before = created.length;
      try {
        // A scale-up reattaches the ordinal's volumes kept by the scale-down.
        await lifecycle.volumes.prepare(spec, resolveImage(spec), index);
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

/**
 * Replaces every instance of the live deployment: the old containers are renamed aside,
 * replacements take their names and pass readiness, and the old ones are answered as
 * `retiring` (they serve until the route moves). A failed replacement puts everything back.
 */
export async function restartInstances(
  lifecycle: DockerLifecycle,
  spec: ServiceSpec,
  options: RolloutOptions,
): Promise<RolloutResult> {
  const restartedAt = new Date().toISOString();
  const olds = await deploymentContainers(lifecycle, spec);
  // Instances that are gone altogether (removed by hand, or with the local stack) come back
  // too: a restart leaves the service at its instance count.
  const indexes = new Set(olds.map(indexOf));
  for (let index = 0; index < instanceCount(spec); index += 1) indexes.add(index);
  const started: NewInstance[] = [];
  const renamed: Inspected[] = [];
  try {
    for (const old of olds) {
      await lifecycle.docker.getContainer(old.Id).rename({ name: retiredContainerName(old.Id) });
      renamed.push(old);
    }
    if (olds.length < indexes.size) await readyToCreate(lifecycle, spec, options.signal);
    await Promise.all(
      [...indexes].map((index) =>
        lifecycle.createAndStart(
          containerCreateOptions({ ...spec, restartedAt }, index, lifecycle.specOptions),
          started,
        ),
      ),
    );
    await lifecycle.waitUntilAllReady(spec, started, options);
    await lifecycle.markLive(started);
    if (options.signal.aborted) throw new RolloutCancelledError();
  } catch (error) {
    await Promise.all(started.map(({ container }) => lifecycle.removeContainer(container)));
    await Promise.all(
      renamed.map((old) =>
        lifecycle.docker.getContainer(old.Id).rename({ name: old.Name.replace(/^\//, '') }),
      ),
    );
    throw error;
  }
  const retiring = olds.map((info) => info.Id);
  await lifecycle.setAside(retiring);
  options.onProgress?.(`${plural(started.length, 'instance')} replaced`);
  return { endpoints: await currentEndpoints(lifecycle, spec.service.id), retiring };
}
