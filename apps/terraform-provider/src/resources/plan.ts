/**
 * PlanResourceChange: the proposed state, with what the apply will decide marked unknown
 * and the attributes that cannot change in place named, by `@slipway/iac`'s rules.
 */
import { isDeepStrictEqual } from 'node:util';
import { DEPLOYMENT_ATTRIBUTES } from '@slipway/cli';
import { type ResourceType } from '@slipway/iac';
import { RESOURCE_BLOCKS } from '../schema/resources';
import { containsUnknown, UNKNOWN, type ObjectValue } from '../wire/values';
import { SOURCE_DEFAULTS } from './state';

export interface PlannedChange {
  readonly planned: ObjectValue | null;
  /** Attribute names whose change replaces the resource. */
  readonly requiresReplace: readonly string[];
}

/** Computed attributes that a deployment changes. */
const DEPLOYMENT_OUTPUTS = ['status', 'deployment_id'];

/**
 * @param sourceDigest the digest of a service's packed source directory (for a plan that
 *   sees a file change as a new deployment, as `slipway iac plan` does)
 */
export async function planChange(
  type: ResourceType,
  prior: ObjectValue | null,
  proposed: ObjectValue | null,
  sourceDigest: (source: ObjectValue) => Promise<string>,
): Promise<PlannedChange> {
  if (proposed === null) return { planned: null, requiresReplace: [] };
  const block = RESOURCE_BLOCKS[type];
  const planned: ObjectValue = { ...proposed };
  const source = planned.source;
  if (type === 'slipway_service') {
    if (source !== null && source !== undefined && source !== UNKNOWN) {
      const filled: ObjectValue = { ...SOURCE_DEFAULTS, ...(source as ObjectValue) };
      for (const key of Object.keys(SOURCE_DEFAULTS) as (keyof typeof SOURCE_DEFAULTS)[])
        if (filled[key] === null || filled[key] === UNKNOWN) filled[key] = SOURCE_DEFAULTS[key];
      planned.source = filled;
      planned.source_sha256 = containsUnknown(filled) ? UNKNOWN : await sourceDigest(filled);
    } else planned.source_sha256 = source === UNKNOWN ? UNKNOWN : null;
  }
  const names = Object.keys(block);
  if (prior === null) {
    for (const name of names)
      if (block[name]?.computed && planned[name] === null && name !== 'source_sha256')
        planned[name] = UNKNOWN;
    return { planned, requiresReplace: [] };
  }
  // What the configuration manages, and the source digest that stands for its files.
  const changed = names.filter(
    (name) =>
      (!isComputedOnly(type, name) || name === 'source_sha256') &&
      (containsUnknown(planned[name]) || !isDeepStrictEqual(prior[name], planned[name])),
  );
  if (changed.length === 0)
    return { planned: { ...planned, ...computedOf(type, prior) }, requiresReplace: [] };
  const requiresReplace = changed.filter((name) => block[name]?.forcesReplacement);
  if (requiresReplace.length) {
    for (const name of names)
      if (isComputedOnly(type, name) && name !== 'source_sha256') planned[name] = UNKNOWN;
  } else if (type === 'slipway_service') {
    const deploys = changed.some(
      (name) => DEPLOYMENT_ATTRIBUTES.has(name) || name === 'source_sha256',
    );
    planned.status = UNKNOWN;
    if (deploys) for (const name of DEPLOYMENT_OUTPUTS) planned[name] = UNKNOWN;
  }
  return { planned, requiresReplace };
}

function isComputedOnly(type: ResourceType, name: string): boolean {
  const attribute = RESOURCE_BLOCKS[type][name];
  return attribute?.computed === true && !attribute.optional && !attribute.required;
}

function computedOf(type: ResourceType, prior: ObjectValue): ObjectValue {
  return Object.fromEntries(
    Object.keys(RESOURCE_BLOCKS[type])
      .filter((name) => isComputedOnly(type, name))
      .map((name) => [name, prior[name] ?? null]),
  );
}
