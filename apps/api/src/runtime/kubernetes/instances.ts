/** A pod as the API shows an instance: state, readiness, restarts and why it is unwell. */
import type { V1ContainerStatus, V1Pod } from '@kubernetes/client-node';
import { CONTAINER_CONTRACT, LABELS } from '@slipway/k8s-spec';
import type { Instance, InstanceState } from '../runtime-driver';
import { FAILING_WAIT_REASONS, containerStatuses, isPodReady, pendingReason } from './pod-failures';

function appContainer(pod: V1Pod): V1ContainerStatus | undefined {
  const statuses = pod.status?.containerStatuses ?? [];
  return statuses.find((s) => s.name === CONTAINER_CONTRACT.containerName) ?? statuses[0];
}

function stateOf(pod: V1Pod): InstanceState {
  const failing = containerStatuses(pod).some((status) => {
    const reason = status.state?.waiting?.reason;
    return (
      reason !== undefined && reason !== 'CrashLoopBackOff' && FAILING_WAIT_REASONS.has(reason)
    );
  });
  const app = appContainer(pod);
  switch (pod.status?.phase) {
    case 'Pending':
      return failing ? 'failed' : 'starting';
    case 'Running':
      if (failing) return 'failed';
      if (app?.state?.waiting?.reason === 'CrashLoopBackOff') return 'restarting';
      if (app?.state?.running !== undefined) return 'running';
      return app?.state?.terminated === undefined ? 'starting' : 'restarting';
    case 'Succeeded':
      return 'exited';
    case 'Failed':
      return 'failed';
    case undefined:
    default:
      return 'unknown';
  }
}

function messageOf(pod: V1Pod, state: InstanceState): string | null {
  if (state === 'running') return null;
  if (pod.status?.phase === 'Failed') {
    return [pod.status.reason, pod.status.message].filter(Boolean).join(': ') || null;
  }
  for (const status of containerStatuses(pod)) {
    const waiting = status.state?.waiting;
    const terminated = status.state?.terminated ?? status.lastState?.terminated;
    if (waiting?.reason !== undefined && waiting.reason !== 'ContainerCreating') {
      const exit = terminated === undefined ? '' : ` (exit code ${terminated.exitCode})`;
      return `${[waiting.reason, waiting.message].filter(Boolean).join(': ')}${exit}`;
    }
    if (status.state?.terminated !== undefined) {
      const { reason, exitCode } = status.state.terminated;
      return `${reason ?? 'Terminated'}: exit code ${exitCode}`;
    }
  }
  return state === 'starting' ? pendingReason(pod) : null;
}

export function toInstance(pod: V1Pod): Instance {
  const state = stateOf(pod);
  return {
    name: pod.metadata?.name ?? '',
    deploymentId: pod.metadata?.labels?.[LABELS.deploymentId] ?? null,
    state,
    ready: isPodReady(pod),
    restarts: (pod.status?.containerStatuses ?? []).reduce((sum, s) => sum + s.restartCount, 0),
    startedAt: pod.status?.startTime === undefined ? null : new Date(pod.status.startTime),
    message: messageOf(pod, state),
  };
}

/** Newest first, as the instances route lists them. */
export function newestFirst(pods: readonly V1Pod[]): V1Pod[] {
  const created = (pod: V1Pod): number =>
    pod.metadata?.creationTimestamp === undefined
      ? 0
      : new Date(pod.metadata.creationTimestamp).getTime();
  return [...pods].sort((a, b) => created(b) - created(a));
}
