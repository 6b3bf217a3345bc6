/**
 * Whether a workload has rolled out, read from its status the way `kubectl rollout status`
 * does, and which pods belong to its newest revision.
 */
import type { V1Deployment, V1Pod, V1ReplicaSet, V1StatefulSet } from '@kubernetes/client-node';

export interface RolloutCounts {
  readonly desired: number;
  readonly updated: number;
  readonly ready: number;
  readonly available: number;
  /** Pods of every revision, old ones included. */
  readonly total: number;
}

export interface RolloutState {
  /** The controller has seen the latest spec; before that the counts describe the old one. */
  readonly observed: boolean;
  readonly done: boolean;
  readonly counts: RolloutCounts;
  /** Set when the controller itself gave up (Deployment `Progressing=False`). */
  readonly stalled: string | undefined;
}

export type Workload =
  | { readonly kind: 'Deployment'; readonly object: V1Deployment }
  | { readonly kind: 'StatefulSet'; readonly object: V1StatefulSet };

const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';
const TEMPLATE_HASH_LABEL = 'pod-template-hash';
const STATEFUL_REVISION_LABEL = 'controller-revision-hash';

export function rolloutState(workload: Workload): RolloutState {
  const { metadata, spec, status } = workload.object;
  const observed = (status?.observedGeneration ?? 0) >= (metadata?.generation ?? 1);
  const counts: RolloutCounts = {
    desired: spec?.replicas ?? 1,
    updated: status?.updatedReplicas ?? 0,
    ready: status?.readyReplicas ?? 0,
    available: status?.availableReplicas ?? 0,
    total: status?.replicas ?? 0,
  };
  const settled =
    counts.updated >= counts.desired &&
    counts.ready >= counts.desired &&
    counts.available >= counts.desired &&
    // No instance of an older revision is left.
    counts.total <= counts.updated;
  if (workload.kind === 'StatefulSet') {
    const revisionsMatch =
      workload.object.status?.currentRevision === workload.object.status?.updateRevision;
    return { observed, done: observed && settled && revisionsMatch, counts, stalled: undefined };
  }
  const progressing = workload.object.status?.conditions?.find((c) => c.type === 'Progressing');
  const stalled =
    observed && progressing?.status === 'False'
      ? `${progressing.reason ?? 'NotProgressing'}: ${progressing.message ?? 'the rollout stopped progressing'}`
      : undefined;
  return { observed, done: observed && settled, counts, stalled };
}

/** Pods of the workload's newest revision (the ones this rollout starts). */
export function newRevisionPods(
  workload: Workload,
  replicaSets: readonly V1ReplicaSet[],
  pods: readonly V1Pod[],
): V1Pod[] {
  const hash = newRevisionHash(workload, replicaSets);
  if (hash === undefined) return [];
  const label = workload.kind === 'Deployment' ? TEMPLATE_HASH_LABEL : STATEFUL_REVISION_LABEL;
  return pods.filter((pod) => pod.metadata?.labels?.[label] === hash);
}

function newRevisionHash(
  workload: Workload,
  replicaSets: readonly V1ReplicaSet[],
): string | undefined {
  if (workload.kind === 'StatefulSet') return workload.object.status?.updateRevision;
  const deployment = workload.object;
  const revision = deployment.metadata?.annotations?.[REVISION_ANNOTATION];
  if (revision === undefined) return undefined;
  const owned = replicaSets.filter((rs) =>
    (rs.metadata?.ownerReferences ?? []).some((owner) => owner.uid === deployment.metadata?.uid),
  );
  const current = owned.find((rs) => rs.metadata?.annotations?.[REVISION_ANNOTATION] === revision);
  return current?.metadata?.labels?.[TEMPLATE_HASH_LABEL];
}

export function describeCounts(counts: RolloutCounts): string {
  return (
    `${counts.ready}/${counts.desired} instances ready ` +
    `(${counts.updated} updated, ${counts.available} available, ${counts.total} total)`
  );
}
