/**
 * Plans: what the stack declares, resolved, against what the API has. A stack owns only
 * the attributes it declares; server-computed ones never show as changes.
 */
import { isDeepStrictEqual } from 'node:util';
import { IacError } from './errors';
import { ATTRIBUTE_RULES, EXPRESSION, type ResourceType } from './resources';
import { type DeclaredResource, type StackDocument } from './stack';

/** A value only the apply will know (the id of a resource not created yet). */
export const UNKNOWN: unique symbol = Symbol('known after apply');
export type Value = unknown;

/** A resource as the API has it, in the attribute shape of the stack's JSON. */
export interface ActualResource {
  readonly type: ResourceType;
  readonly address: string;
  readonly id: string;
  /** Comparable with the declared attributes. */
  readonly attributes: Readonly<Record<string, Value>>;
  /** Computed attributes other resources may reference (`id`, `hostname`, `key`…). */
  readonly computed: Readonly<Record<string, string>>;
}

export type Action = 'create' | 'update' | 'replace' | 'delete' | 'no-op';

export interface AttributeChange {
  readonly name: string;
  readonly before: Value;
  readonly after: Value;
  readonly sensitive: boolean;
  readonly forcesReplacement: boolean;
}

export interface ResourcePlan {
  readonly address: string;
  readonly type: ResourceType;
  readonly action: Action;
  readonly changes: readonly AttributeChange[];
  readonly declared?: DeclaredResource;
  readonly actual?: ActualResource;
}

export interface Plan {
  readonly stack: string;
  readonly resources: readonly ResourcePlan[];
}

/** Turns declared values into comparable ones (packs sources, digests secrets). */
export type Comparable = (
  declared: DeclaredResource,
  resolved: Record<string, Value>,
  actual: ActualResource | undefined,
) => Promise<Record<string, Value>>;

export interface Resolver {
  /** The value of `${var.NAME}`. */
  variable(name: string): Value;
  /** A computed attribute of another resource, or UNKNOWN before it exists. */
  attribute(address: string, attribute: string): Value;
}

/** Replaces `${var.x}` and `${slipway_t.n.attr}` with their values (or UNKNOWN). */
export function resolve(value: Value, resolver: Resolver): Value {
  if (typeof value === 'string' && EXPRESSION.test(value)) {
    const expression = value.slice(2, -1);
    const parts = expression.split('.');
    if (parts[0] === 'var' && parts.length === 2) return resolver.variable(parts[1] ?? '');
    if (parts.length === 3) return resolver.attribute(`${parts[0]}.${parts[1]}`, parts[2] ?? '');
    throw new IacError(`cannot resolve \${${expression}}: only variables and resource attributes`);
  }
  if (Array.isArray(value)) return value.map((item) => resolve(item, resolver));
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v, resolver)]));
  return value;
}

export function containsUnknown(value: Value): boolean {
  if (value === UNKNOWN) return true;
  if (Array.isArray(value)) return value.some(containsUnknown);
  if (value !== null && typeof value === 'object')
    return Object.values(value).some(containsUnknown);
  return false;
}

/** Declared attributes, without Terraform's own meta-arguments. */
export function declaredAttributes(resource: DeclaredResource): Record<string, Value> {
  const {
    '//': _meta,
    depends_on: _dependsOn,
    ...attributes
  } = resource.config as Record<string, Value>;
  return Object.fromEntries(Object.entries(attributes).filter(([, value]) => value !== undefined));
}

export function diff(
  type: ResourceType,
  wanted: Record<string, Value>,
  actual: ActualResource | undefined,
): AttributeChange[] {
  const rules = ATTRIBUTE_RULES[type];
  const changes: AttributeChange[] = [];
  for (const [name, after] of Object.entries(wanted)) {
    const before = actual?.attributes[name];
    if (actual && !containsUnknown(after) && isDeepStrictEqual(before, after)) continue;
    changes.push({
      name,
      before,
      after,
      sensitive: rules[name]?.sensitive ?? false,
      forcesReplacement: actual !== undefined && (rules[name]?.forcesReplacement ?? false),
    });
  }
  return changes;
}

export interface PlanInput {
  readonly stack: StackDocument;
  /** Every resource the API holds for this stack, by address. */
  readonly owned: ReadonlyMap<string, ActualResource>;
  readonly variables: (name: string) => Value;
  readonly comparable: Comparable;
  /** Plan the stack's removal instead. */
  readonly destroy?: boolean;
}

export async function plan(input: PlanInput): Promise<Plan> {
  const { stack, owned } = input;
  const resolver: Resolver = {
    variable: input.variables,
    attribute: (address, attribute) => owned.get(address)?.computed[attribute] ?? UNKNOWN,
  };
  const resources: ResourcePlan[] = [];
  const declaredAddresses = new Set<string>();
  if (!input.destroy) {
    for (const declared of stack.resources) {
      declaredAddresses.add(declared.address);
      const actual = owned.get(declared.address);
      const resolved = resolve(declaredAttributes(declared), resolver) as Record<string, Value>;
      const wanted = await input.comparable(declared, resolved, actual);
      const changes = diff(declared.type, wanted, actual);
      const action: Action = !actual
        ? 'create'
        : changes.some((c) => c.forcesReplacement)
          ? 'replace'
          : changes.length
            ? 'update'
            : 'no-op';
      resources.push({
        address: declared.address,
        type: declared.type,
        action,
        changes,
        declared,
        actual,
      });
    }
  }
  // What the stack owns but no longer declares goes, dependents first.
  const removed = [...owned.values()].filter((actual) => !declaredAddresses.has(actual.address));
  for (const actual of removalOrder(removed)) {
    const changes = Object.entries(actual.attributes).map(([name, before]) => ({
      name,
      before,
      after: undefined,
      sensitive: ATTRIBUTE_RULES[actual.type][name]?.sensitive ?? false,
      forcesReplacement: false,
    }));
    resources.push({
      address: actual.address,
      type: actual.type,
      action: 'delete',
      changes,
      actual,
    });
  }
  return { stack: stack.name, resources };
}

const REMOVAL_ORDER: readonly ResourceType[] = [
  'slipway_access_key',
  'slipway_service',
  'slipway_resource_profile',
  'slipway_project',
];

export function removalOrder(resources: readonly ActualResource[]): ActualResource[] {
  return [...resources].sort(
    (a, b) =>
      REMOVAL_ORDER.indexOf(a.type) - REMOVAL_ORDER.indexOf(b.type) ||
      a.address.localeCompare(b.address),
  );
}

export function hasChanges(plan: Plan): boolean {
  return plan.resources.some((resource) => resource.action !== 'no-op');
}
