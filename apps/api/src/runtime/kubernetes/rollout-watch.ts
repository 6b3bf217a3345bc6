/**
 * Waits for a workload to roll out by polling its status: done when every desired
 * instance runs the new revision and is ready, failed early when a new pod cannot start
 * or the controller gives up, failed on the readiness deadline, cancelled on the signal.
 */
import type { V1Pod, V1ReplicaSet } from '@kubernetes/client-node';
import { pollOnce, sleepUnlessAborted, type KubeApis } from '@slipway/kube-client';
import { RolloutCancelledError, RolloutFailedError } from '../runtime-driver';
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
    // Undefined after a stale read (410 Gone), throttling or a slow answer: look again next tick.
    const observed = await pollOnce(apis, () => observe(apis, options), {
      signal: options.signal,
      cancelled,
      action: `watch the rollout of ${options.workload.name}`,
    });
    if (observed !== undefined) {
      last = observed;
      const progress = describeCounts(last.state.counts);
      if (progress !== lastProgress) options.onProgress?.(progress);
      lastProgress = progress;
      if (last.state.done) return;
      await failIfBroken(apis, options, last);
    }
    const remaining = deadline - Date.now();
    if (remaining <= 0) throw new RolloutFailedError(timeoutReason(options, last));
    await sleepUnlessAborted(
      Math.min(options.pollIntervalMs, remaining),
      options.signal,
      cancelled,
    );
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

function cancelled(): Error {
  return new RolloutCancelledError();
}
