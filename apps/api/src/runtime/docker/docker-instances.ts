/**
 * A service's containers as instances and endpoints. Pure over `docker inspect` output.
 *
 * The rule for "ready": an instance is ready when it is running (not restarting) and belongs
 * to the live deployment, the newest one whose instances passed readiness. A container
 * passes readiness when the rollout switches its restart policy to `unless-stopped`, so the
 * mark survives API restarts without any state outside the engine.
 */
import { CONTAINER_PORT } from '@slipway/contracts';
import type Dockerode from 'dockerode';
import type { Endpoint, Instance, InstanceState } from '../runtime-driver';
import { LIVE_RESTART_POLICY } from './container-spec';
import { DOCKER_LABELS } from './docker-naming';

type Inspected = Dockerode.ContainerInspectInfo;

function createdAt(info: Inspected): number {
  return Date.parse(info.Created) || 0;
}

function deploymentOf(info: Inspected): string | null {
  return info.Config.Labels?.[DOCKER_LABELS.deploymentId] ?? null;
}

function passedReadiness(info: Inspected): boolean {
  return info.HostConfig.RestartPolicy?.Name === LIVE_RESTART_POLICY;
}

/** Newest first; equal creation times (same millisecond) by name for a stable order. */
export function newestFirst(infos: readonly Inspected[]): Inspected[] {
  return [...infos].sort((a, b) => createdAt(b) - createdAt(a) || a.Name.localeCompare(b.Name));
}

/** The deployment the route should point at: the newest that passed readiness. */
export function liveDeploymentId(infos: readonly Inspected[]): string | null {
  const live = newestFirst(infos).find(passedReadiness);
  return live === undefined ? null : deploymentOf(live);
}

export function instanceState(status: string): InstanceState {
  switch (status) {
    case 'created':
      return 'starting';
    case 'running':
      return 'running';
    case 'restarting':
      return 'restarting';
    case 'exited':
    case 'dead':
    case 'removing':
      return 'exited';
    default:
      return 'unknown';
  }
}

function stateMessage(state: Inspected['State']): string | null {
  const exit = state.OOMKilled
    ? `OOMKilled (exit code ${state.ExitCode})`
    : `exit code ${state.ExitCode}`;
  if (state.Restarting) return `restarting after ${exit}`;
  if (state.Running) return null;
  if (state.Error) return state.Error;
  if (state.Status === 'exited' || state.Status === 'dead') return exit;
  return null;
}

function startedAt(state: Inspected['State']): Date | null {
  const time = Date.parse(state.StartedAt);
  // The engine reports 0001-01-01T00:00:00Z for a container that never started.
  return Number.isNaN(time) || time <= 0 ? null : new Date(time);
}

export function isServing(info: Inspected): boolean {
  return info.State.Running && !info.State.Restarting;
}

export function toInstances(infos: readonly Inspected[]): Instance[] {
  const live = liveDeploymentId(infos);
  return newestFirst(infos).map((info) => {
    const deploymentId = deploymentOf(info);
    return {
      name: info.Name.replace(/^\//, ''),
      deploymentId,
      state: instanceState(info.State.Status),
      ready: isServing(info) && passedReadiness(info) && live !== null && deploymentId === live,
      restarts: info.RestartCount,
      startedAt: startedAt(info.State),
      message: stateMessage(info.State),
    };
  });
}

/** The port a container listens on (its label; 8080 for containers made before it existed). */
export function portOf(info: Inspected): number {
  const port = Number(info.Config.Labels?.[DOCKER_LABELS.port]);
  return Number.isInteger(port) && port > 0 ? port : CONTAINER_PORT;
}

/** IP:port of the live deployment's serving instances, on `network`. */
export function liveEndpoints(infos: readonly Inspected[], network: string): Endpoint[] {
  const live = liveDeploymentId(infos);
  if (live === null) return [];
  return newestFirst(infos)
    .filter((info) => deploymentOf(info) === live && isServing(info) && passedReadiness(info))
    .flatMap((info) => endpointOf(info, network) ?? []);
}

/** Where a container takes traffic on the service network, while it has an address there. */
export function endpointOf(info: Inspected, network: string): Endpoint | undefined {
  const host = info.NetworkSettings.Networks[network]?.IPAddress ?? '';
  return host === '' ? undefined : { host, port: portOf(info) };
}
