/**
 * Where a Kaniko build stands, read from its Job and pod: the bundle download, the build,
 * and the ways it ends (digest, a failing step, a deadline, a pod that cannot start).
 */
import type { V1ContainerStatus, V1Job, V1Pod } from '@kubernetes/client-node';
import { BUILD_POD_SECURITY_EXCEPTION } from '@slipway/k8s-spec';

export const FETCH_CONTAINER = 'fetch-bundle';
export const KANIKO_CONTAINER = BUILD_POD_SECURITY_EXCEPTION.container;

/** Waiting reasons that mean the pod will not start without an operator's help. */
const CANNOT_START = new Set([
  'ErrImagePull',
  'ImagePullBackOff',
  'InvalidImageName',
  'CreateContainerConfigError',
  'CreateContainerError',
]);

export type BuildProgress =
  | { readonly phase: 'pending'; readonly detail: string }
  | { readonly phase: 'building' }
  | { readonly phase: 'succeeded'; readonly terminationMessage: string }
  | {
      readonly phase: 'build-failed';
      readonly exitCode: number;
      readonly reason: string | undefined;
    }
  | { readonly phase: 'fetch-failed'; readonly exitCode: number }
  /** Not the user's doing and not going to recover: an infrastructure error. */
  | { readonly phase: 'broken'; readonly detail: string }
  | { readonly phase: 'timed-out'; readonly detail: string };

function status(pod: V1Pod | undefined, name: string): V1ContainerStatus | undefined {
  return [
    ...(pod?.status?.initContainerStatuses ?? []),
    ...(pod?.status?.containerStatuses ?? []),
  ].find((s) => s.name === name);
}

function words(...parts: (string | undefined)[]): string {
  return parts.filter((part) => part !== undefined && part !== '').join(': ');
}

/** Why the pod is not building yet (unschedulable, pulling, downloading the bundle). */
function pendingDetail(pod: V1Pod | undefined): string {
  if (pod === undefined) return 'waiting for the build pod to be created';
  const unscheduled = pod.status?.conditions?.find(
    (c) => c.type === 'PodScheduled' && c.status === 'False',
  );
  if (unscheduled !== undefined)
    return `the build pod is not scheduled: ${words(unscheduled.reason, unscheduled.message)}`;
  if (status(pod, FETCH_CONTAINER)?.state?.running !== undefined)
    return 'downloading the source bundle';
  const waiting =
    status(pod, KANIKO_CONTAINER)?.state?.waiting ?? status(pod, FETCH_CONTAINER)?.state?.waiting;
  return `the build pod is starting${waiting === undefined ? '' : ` (${words(waiting.reason, waiting.message)})`}`;
}

export function buildProgress(job: V1Job, pod: V1Pod | undefined): BuildProgress {
  const failed = job.status?.conditions?.find((c) => c.type === 'Failed' && c.status === 'True');
  if (failed?.reason === 'DeadlineExceeded')
    return { phase: 'timed-out', detail: pendingDetail(pod) };
  const fetch = status(pod, FETCH_CONTAINER)?.state?.terminated;
  if (fetch !== undefined && fetch.exitCode !== 0)
    return { phase: 'fetch-failed', exitCode: fetch.exitCode };
  for (const name of [FETCH_CONTAINER, KANIKO_CONTAINER]) {
    const waiting = status(pod, name)?.state?.waiting;
    if (waiting?.reason !== undefined && CANNOT_START.has(waiting.reason)) {
      return {
        phase: 'broken',
        detail: `the build pod cannot start: container "${name}" ${words(waiting.reason, waiting.message)}`,
      };
    }
  }
  const kaniko = status(pod, KANIKO_CONTAINER)?.state;
  if (kaniko?.terminated !== undefined) {
    const { exitCode, reason, message } = kaniko.terminated;
    return exitCode === 0
      ? { phase: 'succeeded', terminationMessage: message ?? '' }
      : { phase: 'build-failed', exitCode, reason };
  }
  if (kaniko?.running !== undefined) return { phase: 'building' };
  // The Job ended without a verdict from its pod (deleted, evicted): nothing more will come.
  if (failed !== undefined) {
    return {
      phase: 'broken',
      detail: `the build Job failed: ${words(failed.reason, failed.message)}`,
    };
  }
  if (job.status?.conditions?.some((c) => c.type === 'Complete' && c.status === 'True')) {
    return {
      phase: 'broken',
      detail: 'the build Job completed but its pod, and with it the digest, is gone',
    };
  }
  return { phase: 'pending', detail: pendingDetail(pod) };
}

/** Whether the kaniko container has output to follow. */
export function kanikoStarted(pod: V1Pod | undefined): boolean {
  const state = status(pod, KANIKO_CONTAINER)?.state;
  return state?.running !== undefined || state?.terminated !== undefined;
}

/** The pod of the Job's latest attempt (backoffLimit is 0, so there is one). */
export function latestPod(pods: readonly V1Pod[]): V1Pod | undefined {
  const created = (pod: V1Pod): number => new Date(pod.metadata?.creationTimestamp ?? 0).getTime();
  return [...pods].sort((a, b) => created(b) - created(a))[0];
}
