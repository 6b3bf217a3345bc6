/**
 * Building blocks for playing a controller (and the kubelet) inside the stand-in: the
 * code under test polls an object, and between two of its reads the world moves on. A
 * test reacts to each read of the object and stores what a controller would have written.
 */
import type { FakeKubeApi, KubeObject } from './fake-kube-api';
import { objectPath } from './resources';

export interface WatchedObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
}

/**
 * Calls `react` on each GET of `object` while it is stored, with the stored object and the
 * read's number (from 1), before the stand-in answers with whatever is stored by then.
 * Returns how many such reads there were.
 */
export function onEachRead(
  api: FakeKubeApi,
  object: WatchedObject,
  react: (stored: KubeObject, read: number) => void,
): () => number {
  const path = objectPath(object.apiVersion, object.kind, object.namespace, object.name);
  let reads = 0;
  api.on((request) => {
    if (request.method !== 'GET' || request.path !== path) return undefined;
    const stored = api.get(object.apiVersion, object.kind, object.namespace, object.name);
    if (stored === undefined) return undefined;
    reads += 1;
    react(stored, reads);
    return undefined;
  });
  return () => reads;
}

export interface PodState {
  readonly namespace: string;
  readonly name: string;
  readonly labels: Record<string, string>;
  /** The pod's status: phase, conditions, containerStatuses, ... */
  readonly status: Record<string, unknown>;
}

/** Stores (or updates) a pod as its controller and kubelet would have. */
export function putPod(api: FakeKubeApi, pod: PodState): KubeObject {
  return api.put({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: pod.name, namespace: pod.namespace, labels: pod.labels },
    status: pod.status,
  });
}

/**
 * Polls `condition` every 10 ms; rejects when it is still false after `timeoutMs`. The
 * default is generous: a loaded machine may pause the test process for seconds.
 */
export async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition() && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  if (!condition()) throw new Error(`condition not met within ${timeoutMs} ms`);
}
