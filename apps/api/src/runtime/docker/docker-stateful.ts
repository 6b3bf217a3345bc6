/**
 * Rollouts and restarts of a stateful service on docker: instance N always mounts ordinal
 * N's volumes and a volume has one writer, so instances are replaced one ordinal at a time.
 * Each is taken out of the route and drained (`reroute`), stopped, replaced, and put back
 * once its replacement passes readiness, before the next ordinal is touched: with two or
 * more instances no request is dropped; with one there is a gap of a stop plus a start.
 */
import { resolveImage, type ServiceSpec } from '@slipway/k8s-spec';
import type Dockerode from 'dockerode';
import {
  RolloutCancelledError,
  RolloutFailedError,
  type Endpoint,
  type RolloutOptions,
  type RolloutResult,
} from '../runtime-driver';
import { LIVE_RESTART_POLICY, containerCreateOptions, instanceCount } from './container-spec';
import { ensureImage } from './docker-images';
import { endpointOf, isServing } from './docker-instances';
import { plural, type DockerLifecycle, type NewInstance } from './docker-lifecycle';
import { DOCKER_LABELS, isSetAside } from './docker-naming';

type Inspected = Dockerode.ContainerInspectInfo;

const ordinalOf = (info: Inspected): number =>
  Number(info.Config.Labels?.[DOCKER_LABELS.instanceIndex] ?? Number.NaN);

const sameEndpoint = (a: Endpoint, b: Endpoint): boolean => a.host === b.host && a.port === b.port;

export async function rollStateful(
  lifecycle: DockerLifecycle,
  spec: ServiceSpec,
  options: RolloutOptions,
): Promise<RolloutResult> {
  const { signal } = options;
  const progress = (message: string): void => options.onProgress?.(message);
  const network = lifecycle.options.network;
  const image = resolveImage(spec);
  await lifecycle.ensureNetwork();
  await ensureImage(
    lifecycle.docker,
    image,
    lifecycle.options.pullPolicy,
    lifecycle.options.registryAuth,
    signal,
  );
  const present = (await lifecycle.inspectService(spec.service.id)).filter(
    (info) => !isSetAside([info.Name]),
  );
  // What serves now: instances that passed readiness, whichever deployment they run.
  let routed: Endpoint[] = present
    .filter(
      (info) => isServing(info) && info.HostConfig.RestartPolicy?.Name === LIVE_RESTART_POLICY,
    )
    .flatMap((info) => endpointOf(info, network) ?? []);
  const target = instanceCount(spec);
  const replaced: string[] = [];
  for (let ordinal = 0; ordinal < target; ordinal += 1) {
    if (signal.aborted) throw new RolloutCancelledError();
    const olds = present.filter((info) => ordinalOf(info) === ordinal);
    const create = containerCreateOptions(spec, ordinal, lifecycle.specOptions);
    const current = olds.find(
      (info) =>
        info.State.Running &&
        info.Config.Labels?.[DOCKER_LABELS.specHash] === create.Labels?.[DOCKER_LABELS.specHash],
    );
    if (current) continue; // a retried rollout already replaced this one
    const leaving = olds.flatMap((info) => endpointOf(info, network) ?? []);
    if (leaving.length > 0) {
      routed = routed.filter((e) => !leaving.some((l) => sameEndpoint(e, l)));
      await options.reroute?.(routed);
    }
    await Promise.all(olds.map((info) => lifecycle.stop(info.Id)));
    await lifecycle.setAside(olds.map((info) => info.Id));
    const started: NewInstance[] = [];
    try {
      await lifecycle.volumes.prepare(spec, image, ordinal);
      await lifecycle.createAndStart(create, started);
      const ready = await lifecycle.waitUntilAllReady(spec, started, options);
      await lifecycle.markLive(started);
      routed = [...routed, ...ready];
      await options.reroute?.(routed);
    } catch (error) {
      await Promise.all(started.map(({ container }) => lifecycle.removeContainer(container)));
      const back = await putBack(lifecycle, olds);
      if (back.length > 0) await options.reroute?.([...routed, ...back]);
      if (error instanceof RolloutFailedError && ordinal > 0)
        throw new RolloutFailedError(
          `${error.reason} (instances 0..${ordinal - 1} already run the new version; instance ${ordinal} and above the previous one)`,
        );
      throw error;
    }
    replaced.push(...olds.map((info) => info.Id));
    progress(`instance ${ordinal} replaced (${ordinal + 1}/${target})`);
  }
  // Instances beyond the count leave (their volumes stay for a later scale-up).
  const extra = present.filter((info) => !(ordinalOf(info) < target));
  const gone = extra.flatMap((info) => endpointOf(info, network) ?? []);
  routed = routed.filter((e) => !gone.some((g) => sameEndpoint(e, g)));
  await lifecycle.setAside(extra.map((info) => info.Id));
  if (extra.length > 0) progress(`${plural(extra.length, 'instance')} leaving`);
  return { endpoints: routed, retiring: [...replaced, ...extra.map((info) => info.Id)] };
}

/**
 * Instances whose replacement failed serve again, under their own names; their endpoints
 * (an address may change with the restart).
 */
async function putBack(
  lifecycle: DockerLifecycle,
  olds: readonly Inspected[],
): Promise<Endpoint[]> {
  const endpoints: Endpoint[] = [];
  for (const info of olds) {
    const container = lifecycle.docker.getContainer(info.Id);
    await container.rename({ name: info.Name.replace(/^\//, '') });
    await container.update({ RestartPolicy: { Name: LIVE_RESTART_POLICY } });
    if (!info.State.Running) continue;
    await container.start();
    const endpoint = endpointOf(await container.inspect(), lifecycle.options.network);
    if (endpoint) endpoints.push(endpoint);
  }
  return endpoints;
}
