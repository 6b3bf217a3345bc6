/**
 * Server-side apply of rendered objects, pruning of what a render no longer contains, and
 * deletion of a service's objects by label.
 */
import {
  apiMessage,
  deleteObject,
  describeObject,
  isNotFound,
  kubernetesApiError,
  refOf,
  statusOf,
  type KindRef,
  type KubeApis,
  type ObjectRef,
  type RenderedObject,
} from '@slipway/kube-client';
import { RolloutCancelledError, RolloutFailedError } from '../runtime-driver';

export function objectKey(ref: ObjectRef): string {
  return `${ref.apiVersion}/${ref.kind}/${ref.namespace ?? ''}/${ref.name}`;
}

export interface ApplyOptions {
  readonly fieldManager: string;
  readonly signal: AbortSignal;
}

/** Applies `objects` one by one in the given order (namespace first, workload before HPA). */
export async function applyObjects(
  apis: KubeApis,
  objects: readonly RenderedObject[],
  options: ApplyOptions,
): Promise<void> {
  for (const object of objects) {
    if (options.signal.aborted) throw new RolloutCancelledError();
    await applyOne(apis, object, options);
  }
}

async function applyOne(
  apis: KubeApis,
  object: RenderedObject,
  options: ApplyOptions,
): Promise<void> {
  const what = describeObject(refOf(object));
  for (let attempt = 1; ; attempt += 1) {
    try {
      await apis.objects.apply(object, options.fieldManager);
      return;
    } catch (error) {
      const status = statusOf(error);
      // A conflicting write in flight (the object is being deleted, a racing update): once more.
      if (status === 409 && attempt === 1) continue;
      if (status === 409 || status === 400 || status === 422 || isQuotaRejection(error)) {
        // Retrying cannot fix what the cluster refuses; the reason goes to the user.
        throw new RolloutFailedError(`the cluster rejected ${what}: ${apiMessage(error)}`);
      }
      throw kubernetesApiError(error, `apply ${what}`, apis.options);
    }
  }
}

function isQuotaRejection(error: unknown): boolean {
  return statusOf(error) === 403 && /exceeded quota/i.test(apiMessage(error));
}

/** Kinds to look for in one namespace. */
export interface Scope {
  readonly namespace: string;
  readonly kinds: readonly KindRef[];
}

export interface SelectionOptions {
  /** `key=value` label selector of the service's objects. */
  readonly labelSelector: string;
  readonly scopes: readonly Scope[];
}

/** Every object of each scope's kinds in its namespace that matches the selector. */
export async function listSelected(
  apis: KubeApis,
  options: SelectionOptions,
): Promise<ObjectRef[]> {
  const found: ObjectRef[] = [];
  for (const { namespace, kinds } of options.scopes) {
    for (const { apiVersion, kind } of kinds) {
      try {
        const list = await apis.objects.list(
          apiVersion,
          kind,
          namespace,
          undefined,
          undefined,
          undefined,
          undefined,
          options.labelSelector,
        );
        for (const item of list.items) {
          // List items carry no kind of their own: take it from the request.
          found.push({ apiVersion, kind, namespace, name: item.metadata?.name ?? '' });
        }
      } catch (error) {
        if (isNotFound(error)) continue; // namespace (or kind) absent: nothing to select
        throw kubernetesApiError(error, `list ${kind} in ${namespace}`, apis.options);
      }
    }
  }
  return found;
}

/** Deletes the selected objects except those in `keep` (object keys); a 404 is fine. */
export async function deleteSelected(
  apis: KubeApis,
  options: SelectionOptions & {
    readonly keep?: ReadonlySet<string>;
    readonly gracePeriodSeconds?: number;
  },
): Promise<ObjectRef[]> {
  const doomed = (await listSelected(apis, options)).filter(
    (ref) => !(options.keep?.has(objectKey(ref)) ?? false),
  );
  for (const ref of doomed) {
    await deleteObject(apis, ref, 'Background', options.gracePeriodSeconds);
  }
  return doomed;
}
