/**
 * Server-side apply of rendered objects, pruning of what a render no longer contains, and
 * deletion of a service's objects by label.
 */
import { RolloutCancelledError, RolloutFailedError } from '../runtime-driver';
import type { ObjectClient, RenderedObject } from './kube-api';
import { apiMessage, isNotFound, kubernetesApiError, statusOf } from './kube-errors';

export interface KindRef {
  readonly apiVersion: string;
  readonly kind: string;
}

export interface ObjectRef extends KindRef {
  readonly namespace: string | undefined;
  readonly name: string;
}

export function objectKey(ref: ObjectRef): string {
  return `${ref.apiVersion}/${ref.kind}/${ref.namespace ?? ''}/${ref.name}`;
}

export function refOf(object: RenderedObject): ObjectRef {
  return {
    apiVersion: object.apiVersion,
    kind: object.kind,
    namespace: object.metadata?.namespace,
    name: object.metadata?.name ?? '',
  };
}

function describe(ref: ObjectRef): string {
  return `${ref.kind} ${ref.namespace === undefined ? '' : `${ref.namespace}/`}${ref.name}`;
}

export interface ApplyOptions {
  readonly fieldManager: string;
  readonly signal: AbortSignal;
  readonly requestTimeoutMs: number;
}

/** Applies `objects` one by one in the given order (namespace first, workload before HPA). */
export async function applyObjects(
  client: ObjectClient,
  objects: readonly RenderedObject[],
  options: ApplyOptions,
): Promise<void> {
  for (const object of objects) {
    if (options.signal.aborted) throw new RolloutCancelledError();
    await applyOne(client, object, options);
  }
}

async function applyOne(
  client: ObjectClient,
  object: RenderedObject,
  options: ApplyOptions,
): Promise<void> {
  const what = describe(refOf(object));
  for (let attempt = 1; ; attempt += 1) {
    try {
      await client.apply(object, options.fieldManager);
      return;
    } catch (error) {
      const status = statusOf(error);
      // A conflicting write in flight (the object is being deleted, a racing update): once more.
      if (status === 409 && attempt === 1) continue;
      if (status === 409 || status === 400 || status === 422 || isQuotaRejection(error)) {
        // Retrying cannot fix what the cluster refuses; the reason goes to the user.
        throw new RolloutFailedError(`the cluster rejected ${what}: ${apiMessage(error)}`);
      }
      throw kubernetesApiError(error, `apply ${what}`, options.requestTimeoutMs);
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
  readonly requestTimeoutMs: number;
}

/** Every object of each scope's kinds in its namespace that matches the selector. */
export async function listSelected(
  client: ObjectClient,
  options: SelectionOptions,
): Promise<ObjectRef[]> {
  const found: ObjectRef[] = [];
  for (const { namespace, kinds } of options.scopes) {
    for (const { apiVersion, kind } of kinds) {
      try {
        const list = await client.list(
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
        throw kubernetesApiError(error, `list ${kind} in ${namespace}`, options.requestTimeoutMs);
      }
    }
  }
  return found;
}

/** Deletes the selected objects except those in `keep` (object keys); a 404 is fine. */
export async function deleteSelected(
  client: ObjectClient,
  options: SelectionOptions & { readonly keep?: ReadonlySet<string> },
): Promise<ObjectRef[]> {
  const doomed = (await listSelected(client, options)).filter(
    (ref) => !(options.keep?.has(objectKey(ref)) ?? false),
  );
  for (const ref of doomed) {
    try {
      await client.delete(
        {
          apiVersion: ref.apiVersion,
          kind: ref.kind,
          metadata: { name: ref.name, namespace: ref.namespace },
        },
        undefined,
        undefined,
        undefined,
        undefined,
        'Background',
      );
    } catch (error) {
      if (isNotFound(error)) continue;
      throw kubernetesApiError(error, `delete ${describe(ref)}`, options.requestTimeoutMs);
    }
  }
  return doomed;
}
