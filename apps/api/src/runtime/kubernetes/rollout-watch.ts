/**
 * Waits for a workload to roll out by polling its status: done when every desired
 * instance runs the new revision and is ready, failed early when a new pod cannot start
 * or the controller gives up, failed on the readiness deadline, cancelled on the signal.
 */
import { setTimeout as delay } from 'node:timers/promises';
import type { V1Pod, V1ReplicaSet } from '@kubernetes/client-node';
import { RolloutCancelledError, RolloutFailedError } from '../runtime-driver';
import type { KubeApis } from './kube-api';
import { isTransient, kubernetesApiError } from './kube-errors';
import {
  isPodReady,
  pendingReason,
  podFailure,
  recentWarnings,
  withWarnings,
} from './pod-failures';
import {
  describeCounts,
  newRevisionPods,
  rolloutState,
  type RolloutState,
  type Workload,
} from './rollout-status';

export interface RolloutWatchOptions {
  readonly namespace: string;
  readonly workload: { readonly kind: Workload['kind']; readonly name: string };
  /** Selects every pod (and ReplicaSet) of the service. */
  readonly labelSelector: string;
  readonly signal: AbortSignal;
  readonly readinessTimeoutMs: number;
  readonly pollIntervalMs: number;
  readonly requestTimeoutMs: number;
  readonly onProgress?: (message: string) => void;
}

interface Observation {
  readonly state: RolloutState;
  readonly newPods: readonly V1Pod[];
}

export async function waitForRollout(apis: KubeApis, options: RolloutWatchOptions): Promise<void> {
  const deadline = Date.now() + options.readinessTimeoutMs;
  let last: Observation | undefined;
  let lastProgress = '';
  for (;;) {
    if (options.signal.aborted) throw new RolloutCancelledError();
    try {
      last = await untilAborted(observe(apis, options), options.signal);
      const progress = describeCounts(last.state.counts);
      if (progress !== lastProgress) options.onProgress?.(progress);
      lastProgress = progress;
      if (last.state.done) return;
      await failIfBroken(apis, options, last);
    } catch (error) {
      if (error instanceof RolloutFailedError || error instanceof RolloutCancelledError)
        throw error;
      // A stale read (410 Gone), throttling or a slow answer: look again on the next tick.
      if (!isTransient(error)) {
        throw kubernetesApiError(
          error,
          `watch the rollout of ${options.workload.name}`,
          options.requestTimeoutMs,
        );
      }
    }
    const remaining = deadline - Date.now();
    if (remaining <= 0) throw new RolloutFailedError(timeoutReason(options, last));
    await sleep(Math.min(options.pollIntervalMs, remaining), options.signal);
  }
}

async function observe(apis: KubeApis, options: RolloutWatchOptions): Promise<Observation> {
  const { namespace, labelSelector } = options;
  const { name, kind } = options.workload;
  const workload: Workload =
    kind === 'Deployment'
      ? { kind, object: await apis.apps.readNamespacedDeployment({ namespace, name }) }
      : { kind, object: await apis.apps.readNamespacedStatefulSet({ namespace, name }) };
  const state = rolloutState(workload);
  // Before the controller has seen the new spec, every pod still belongs to the old one.
  if (state.done || !state.observed) return { state, newPods: [] };
  const replicaSets: V1ReplicaSet[] =
    kind === 'Deployment'
      ? (await apis.apps.listNamespacedReplicaSet({ namespace, labelSelector })).items
      : [];
  const pods = (await apis.core.listNamespacedPod({ namespace, labelSelector })).items;
  return { state, newPods: newRevisionPods(workload, replicaSets, pods) };
}

async function failIfBroken(
  apis: KubeApis,
  options: RolloutWatchOptions,
  observation: Observation,
): Promise<void> {
  for (const pod of observation.newPods) {
    const failure = podFailure(pod);
    if (failure !== undefined) {
      throw new RolloutFailedError(withWarnings(failure, await warningsFor(apis, options, pod)));
    }
  }
  const stalled = observation.state.stalled;
  if (stalled !== undefined) {
    const stuck = observation.newPods.find((pod) => !isPodReady(pod));
    const detail =
      stuck === undefined ? '' : `\ninstance ${podName(stuck)}: ${pendingReason(stuck)}`;
    const warnings = stuck === undefined ? [] : await warningsFor(apis, options, stuck);
    throw new RolloutFailedError(
      withWarnings(`the rollout stalled: ${stalled}${detail}`, warnings),
    );
  }
}

/** Best effort: the failure is already known, so a failed event read must not hide it. */
async function warningsFor(
  apis: KubeApis,
  options: RolloutWatchOptions,
  pod: V1Pod,
): Promise<string[]> {
  try {
    const events = await apis.core.listNamespacedEvent({
      namespace: options.namespace,
      fieldSelector: `involvedObject.name=${podName(pod)}`,
    });
    return recentWarnings(events.items);
  } catch {
    return [];
  }
}

function timeoutReason(options: RolloutWatchOptions, last: Observation | undefined): string {
  const seconds = Math.round(options.readinessTimeoutMs / 1000);
  if (last === undefined) {
    return `not ready within ${seconds}s: the workload's status could not be read`;
  }
  const pending = last.newPods
    .filter((pod) => !isPodReady(pod))
    .map((pod) => `\ninstance ${podName(pod)}: ${pendingReason(pod)}`)
    .join('');
  return `not ready within ${seconds}s: ${describeCounts(last.state.counts)}${pending}`;
}

function podName(pod: V1Pod): string {
  return pod.metadata?.name ?? 'unknown';
}

/** Settles with `promise`, or rejects with RolloutCancelledError as soon as `signal` aborts. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  promise.catch(() => undefined); // an abandoned request may still fail later
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(new RolloutCancelledError());
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    void promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

async function sleep(ms: number, signal: AbortSignal): Promise<void> {
  try {
    await delay(ms, undefined, { signal });
  } catch {
    throw new RolloutCancelledError();
  }
}
