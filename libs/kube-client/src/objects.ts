/**
 * Naming objects, patching and deleting them: one object at a time, a delete optionally
 * waiting until the API server has really removed it (an immutable object can only be
 * replaced once it is gone).
 */
import type { KubernetesObject } from '@kubernetes/client-node';
import type { KubeApis, RenderedObject } from './kube-apis';
import { type CancelledError, sleepUnlessAborted } from './polling';
import { isNotFound, kubernetesApiError } from './kube-errors';

export interface KindRef {
  readonly apiVersion: string;
  readonly kind: string;
}

export interface ObjectRef extends KindRef {
  /** Undefined for cluster-scoped kinds (Namespace). */
  readonly namespace: string | undefined;
  readonly name: string;
}

export function refOf(object: RenderedObject): ObjectRef {
  return {
    apiVersion: object.apiVersion,
    kind: object.kind,
    namespace: object.metadata?.namespace,
    name: object.metadata?.name ?? '',
  };
}

/** How messages name an object: `Deployment ns/web`, `Namespace ns`. */
export function describeObject(ref: ObjectRef): string {
  return `${ref.kind} ${ref.namespace === undefined ? '' : `${ref.namespace}/`}${ref.name}`;
}

/**
 * `Background` answers at once and lets the garbage collector remove dependents (a Job's
 * pods) later; `Foreground` keeps the object, marked for deletion, until they are gone.
 */
export type PropagationPolicy = 'Background' | 'Foreground';

/**
 * Deletes one object; resolves false when it was already gone (a 404 is no failure).
 * `gracePeriodSeconds` 0 stops a pod at once.
 */
export async function deleteObject(
  apis: KubeApis,
  ref: ObjectRef,
  propagation: PropagationPolicy,
  gracePeriodSeconds?: number,
): Promise<boolean> {
  try {
    await apis.objects.delete(
      headerOf(ref),
      undefined,
      undefined,
      gracePeriodSeconds,
      undefined,
      propagation,
    );
    return true;
  } catch (error) {
    if (isNotFound(error)) return false;
    throw kubernetesApiError(error, `delete ${describeObject(ref)}`, apis.options);
  }
}

/**
 * Merge-patches one object as `fieldManager` and resolves with the object as stored
 * afterwards (`T`: the kind's client-node type). Failures, a 404 included, are
 * KubernetesApiErrors that keep the status (`isNotFound` tells a missing object).
 */
export async function patchObject<T extends KubernetesObject>(
  apis: KubeApis,
  ref: ObjectRef,
  patch: object,
  fieldManager: string,
): Promise<T> {
  try {
    return await apis.objects.mergePatch<T>(headerOf(ref), patch, fieldManager);
  } catch (error) {
    throw kubernetesApiError(error, `patch ${describeObject(ref)}`, apis.options);
  }
}

export interface DeleteAndWaitOptions {
  readonly signal: AbortSignal;
  /** The error to throw when `signal` aborts while waiting. */
  readonly cancelled: CancelledError;
  /** How often to look whether the object is gone. */
  readonly pollIntervalMs: number;
  /** How long the object (and, in the foreground, its dependents) may take to go. */
  readonly timeoutMs: number;
}

/** Deletes in the foreground and resolves once a read of the object answers 404. */
export async function deleteAndWait(
  apis: KubeApis,
  ref: ObjectRef,
  options: DeleteAndWaitOptions,
): Promise<void> {
  await deleteObject(apis, ref, 'Foreground');
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    if (options.signal.aborted) throw options.cancelled();
    try {
      await apis.objects.read(headerOf(ref));
    } catch (error) {
      if (isNotFound(error)) return;
      throw kubernetesApiError(error, `read ${describeObject(ref)}`, apis.options);
    }
    if (Date.now() > deadline) {
      throw new Error(
        `${describeObject(ref)} is still being deleted after ${Math.round(options.timeoutMs / 1000)}s`,
      );
    }
    await sleepUnlessAborted(options.pollIntervalMs, options.signal, options.cancelled);
  }
}

function headerOf(ref: ObjectRef): {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
} {
  return {
    apiVersion: ref.apiVersion,
    kind: ref.kind,
    metadata: { name: ref.name, namespace: ref.namespace },
  };
}
