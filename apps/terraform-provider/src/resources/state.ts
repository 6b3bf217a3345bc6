/**
 * Terraform's objects and `@slipway/iac`'s: a configuration becomes a declared resource,
 * what the API has becomes state. Only attributes the configuration sets are managed (as
 * `slipway iac` owns only what a stack declares): refreshing leaves the others null.
 */
import { isDeepStrictEqual } from 'node:util';
import { saltOf, secretEnvDigest, type SecretEnvState } from '@slipway/cli';
import {
  DEFAULT_IDLE_TIMEOUT_SECONDS,
  type ActualResource,
  type DeclaredResource,
  type ResourceType,
  type Value,
} from '@slipway/iac';
import { RESOURCE_BLOCKS } from '../schema/resources';
import { type Attribute } from '../wire/types';
import { UNKNOWN, type ObjectValue, type WireValue } from '../wire/values';

export const SOURCE_DEFAULTS = { dockerfile: 'Dockerfile', context: '.' } as const;

const isComputedOnly = (attribute: Attribute) =>
  attribute.computed === true && !attribute.optional && !attribute.required;

/** Nulls dropped, nested objects too: the shape a stack's JSON gives `@slipway/iac`. */
function withoutNulls(value: WireValue): Value {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  return Object.fromEntries(
    Object.entries(value as ObjectValue)
      .filter(([, inner]) => inner !== null)
      .map(([key, inner]) => [key, withoutNulls(inner)]),
  );
}

/** What the configuration declares, as `slipway iac` reads it from a stack. */
export function declaredFrom(type: ResourceType, config: ObjectValue): DeclaredResource {
  const attributes: Record<string, Value> = {};
  for (const [name, attribute] of Object.entries(RESOURCE_BLOCKS[type])) {
    const value = config[name];
    if (isComputedOnly(attribute) || value === null || value === undefined) continue;
    attributes[name] = withoutNulls(value);
  }
  if (type === 'slipway_service' && attributes.source)
    attributes.source = { ...SOURCE_DEFAULTS, ...(attributes.source as Record<string, Value>) };
  const name = typeof attributes.name === 'string' ? attributes.name : 'unnamed';
  return {
    type,
    address: `${type}.${name}`,
    config: attributes,
    dependsOn: [],
  } as unknown as DeclaredResource;
}

/** A resource's state after apply: the planned values, with what only the API knew filled in. */
export function appliedState(
  type: ResourceType,
  planned: ObjectValue,
  actual: ActualResource,
  outputs: Readonly<Record<string, string>> = {},
): ObjectValue {
  const state: ObjectValue = { ...planned };
  for (const [name, attribute] of Object.entries(RESOURCE_BLOCKS[type])) {
    if (state[name] !== UNKNOWN) continue;
    state[name] = attribute.computed ? (outputs[name] ?? actual.computed[name] ?? null) : null;
  }
  return state;
}

function secretEnvMatches(actual: ActualResource, prior: WireValue): boolean {
  const kept = actual.attributes.secret_env as SecretEnvState | undefined;
  const values = prior as Record<string, string>;
  const salt = saltOf(actual);
  return (
    kept !== undefined &&
    salt !== undefined &&
    isDeepStrictEqual([...kept.names], Object.keys(values).sort()) &&
    secretEnvDigest(salt, values) === kept.digest
  );
}

/** One attribute as the API has it, in the configuration's shape. */
function actualValue(name: string, prior: WireValue, actual: ActualResource): WireValue {
  const value = actual.attributes[name];
  if (value === undefined) return null;
  if (name === 'source') {
    const source = value as { dockerfile: string; context: string };
    const path = (prior as ObjectValue | null)?.path ?? null;
    return { path, dockerfile: source.dockerfile, context: source.context };
  }
  // Secret values are never answered: their digest says whether they still match.
  if (name === 'secret_env') return secretEnvMatches(actual, prior) ? prior : {};
  if (name === 'autoscaling') return autoscalingValue(value as ObjectValue, prior);
  return value as WireValue;
}

/**
 * The idle timeout the API fills in for a service that may sleep reads as unset when the
 * configuration left it out, as `slipway iac` compares it: the default is no drift.
 */
function autoscalingValue(value: ObjectValue, prior: WireValue): WireValue {
  const declared = (prior as ObjectValue | null)?.idle_timeout_seconds ?? null;
  const defaulted =
    declared === null &&
    value.min_instances === 0 &&
    value.idle_timeout_seconds === DEFAULT_IDLE_TIMEOUT_SECONDS;
  return defaulted ? { ...value, idle_timeout_seconds: null } : value;
}

function computedValue(name: string, actual: ActualResource): WireValue | undefined {
  if (name === 'source_sha256')
    return (actual.attributes.source as { sha256?: string } | undefined)?.sha256 ?? null;
  return actual.computed[name];
}

/** ReadResource: the prior state with every managed attribute read back from the API. */
export function refreshedState(
  type: ResourceType,
  prior: ObjectValue,
  actual: ActualResource,
): ObjectValue {
  const state: ObjectValue = { ...prior };
  for (const [name, attribute] of Object.entries(RESOURCE_BLOCKS[type])) {
    if (attribute.computed) {
      // The key is shown once: the API cannot give it again, so the state keeps it.
      const value = computedValue(name, actual);
      if (value !== undefined) state[name] = value;
    } else if (prior[name] !== null && prior[name] !== undefined) {
      state[name] = actualValue(name, prior[name], actual);
    }
  }
  return state;
}

/** ImportResourceState: everything the API says; secret values and source paths it cannot. */
export function importedState(type: ResourceType, actual: ActualResource): ObjectValue {
  const state: ObjectValue = {};
  for (const [name, attribute] of Object.entries(RESOURCE_BLOCKS[type])) {
    const value = attribute.computed
      ? computedValue(name, actual)
      : name === 'secret_env' || name === 'source'
        ? undefined
        : name === 'autoscaling' && actual.attributes[name] !== undefined
          ? autoscalingValue(actual.attributes[name] as ObjectValue, null)
          : (actual.attributes[name] as WireValue | undefined);
    // Empty labels, lists and maps read as unset, as a configuration that sets none says.
    state[name] = value === undefined || isEmpty(value) ? null : value;
  }
  return state;
}

const isEmpty = (value: WireValue): boolean =>
  Array.isArray(value)
    ? value.length === 0
    : value !== null && typeof value === 'object' && Object.keys(value).length === 0;
