/**
 * Applies a plan in dependency order: creates and updates follow what they reference,
 * removals go dependents first. Every resource is labelled with its stack and address as
 * it is created, so a failure part-way leaves a state the next run reads and completes.
 */
import { IacError } from './errors';
import {
  containsUnknown,
  declaredAttributes,
  resolve,
  UNKNOWN,
  type ActualResource,
  type AttributeChange,
  type Plan,
  type ResourcePlan,
  type Value,
} from './plan';
import { type DeclaredResource } from './stack';

export interface Created {
  readonly resource: ActualResource;
  /** Values shown once (an access key): the API cannot give them again. */
  readonly outputs?: Readonly<Record<string, string>>;
}

/** What a backend (the API client of `slipway iac`, or the provider) does per resource. */
export interface Backend {
  create(declared: DeclaredResource, resolved: Record<string, Value>): Promise<Created>;
  update(
    declared: DeclaredResource,
    resolved: Record<string, Value>,
    actual: ActualResource,
    changes: readonly AttributeChange[],
  ): Promise<ActualResource>;
  delete(actual: ActualResource): Promise<void>;
}

export interface ApplyInput {
  readonly plan: Plan;
  readonly owned: ReadonlyMap<string, ActualResource>;
  readonly variables: (name: string) => Value;
  readonly backend: Backend;
  readonly onProgress?: (address: string, message: string) => void;
}

export interface ApplyResult {
  readonly created: number;
  readonly updated: number;
  readonly deleted: number;
  readonly outputs: Readonly<Record<string, string>>;
}

export class ApplyError extends IacError {
  constructor(
    readonly address: string,
    reason: string,
    readonly result: ApplyResult,
  ) {
    super(`${address}: ${reason}`);
  }
}

export async function apply(input: ApplyInput): Promise<ApplyResult> {
  const live = new Map(input.owned);
  const counts = { created: 0, updated: 0, deleted: 0 };
  const outputs: Record<string, string> = {};
  const progress = input.onProgress ?? (() => undefined);
  const resolveFor = (declared: DeclaredResource): Record<string, Value> => {
    const resolved = resolve(declaredAttributes(declared), {
      variable: input.variables,
      attribute: (address, attribute) => live.get(address)?.computed[attribute] ?? UNKNOWN,
    }) as Record<string, Value>;
    if (containsUnknown(resolved))
      throw new IacError(
        'references a value that is still unknown after its dependencies were applied',
      );
    return resolved;
  };
  const step = async (resource: ResourcePlan): Promise<void> => {
    const { declared, actual } = resource;
    if (resource.action === 'delete' || resource.action === 'replace') {
      if (!actual) return;
      progress(
        resource.address,
        resource.action === 'replace' ? 'replacing: deleting' : 'deleting',
      );
      await input.backend.delete(actual);
      live.delete(resource.address);
      counts.deleted += resource.action === 'delete' ? 1 : 0;
    }
    if (!declared) return;
    if (resource.action === 'create' || resource.action === 'replace') {
      progress(resource.address, 'creating');
      const created = await input.backend.create(declared, resolveFor(declared));
      live.set(resource.address, created.resource);
      for (const [name, value] of Object.entries(created.outputs ?? {}))
        outputs[`${declared.address}.${name}`] = value;
      counts.created += 1;
      progress(resource.address, `created (id ${created.resource.id})`);
    } else if (resource.action === 'update' && actual) {
      progress(resource.address, 'updating');
      live.set(
        resource.address,
        await input.backend.update(declared, resolveFor(declared), actual, resource.changes),
      );
      counts.updated += 1;
      progress(resource.address, 'updated');
    }
  };
  // Removals of what the stack no longer declares run last, dependents first (plan order).
  const ordered = [
    ...input.plan.resources.filter((r) => r.action !== 'delete'),
    ...input.plan.resources.filter((r) => r.action === 'delete'),
  ];
  for (const resource of ordered) {
    if (resource.action === 'no-op') continue;
    try {
      await step(resource);
    } catch (error) {
      throw new ApplyError(resource.address, (error as Error).message, { ...counts, outputs });
    }
  }
  return { ...counts, outputs };
}
