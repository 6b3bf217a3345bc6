/**
 * Labels: string key/value pairs on projects, services, access keys and resource profiles,
 * such as `slipway.dev/stack=prod`, which tools record ownership with and filter lists by.
 * The rules are Kubernetes': a key is an optional DNS subdomain prefix and `/`, then a name.
 * The API validates with them; the services-as-code constructs check them at synth time.
 */

export type Labels = Record<string, string>;

export const MAX_LABELS = 32;
export const MAX_LABEL_NAME = 63;
export const MAX_LABEL_VALUE = 63;
export const MAX_LABEL_PREFIX = 253;

/** 1–63 of `[A-Za-z0-9._-]`, starting and ending with a letter or digit. */
const NAME = /^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?$/;
/** Lowercase RFC 1123 subdomain: dot-separated labels of `[a-z0-9-]`, alphanumeric at both ends. */
const DNS_SUBDOMAIN = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/;

export const LABEL_NAME_RULE = `at most ${MAX_LABEL_NAME} letters, digits, '-', '_' or '.', starting and ending with a letter or digit`;
export const LABEL_KEY_RULE = `a name of ${LABEL_NAME_RULE}, optionally after a DNS subdomain prefix and '/' (e.g. slipway.dev/stack)`;
const PREFIX_RULE = `a DNS subdomain (lowercase letters, digits, '-' and '.', at most ${MAX_LABEL_PREFIX} characters)`;
export const LABEL_VALUE_RULE = `empty or ${LABEL_NAME_RULE}`;
export const LABELS_OBJECT_RULE = 'must be an object of string keys to string values';
export const LABELS_EXAMPLE: Labels = { 'slipway.dev/stack': 'prod' };

/** What is wrong with `key`, or null when it is a valid label key. */
export function labelKeyProblem(key: string): string | null {
  const slash = key.lastIndexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : null;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== null && (prefix.length > MAX_LABEL_PREFIX || !DNS_SUBDOMAIN.test(prefix))) {
    return `key ${quote(key)} must have a prefix that is ${PREFIX_RULE}`;
  }
  if (name.length > MAX_LABEL_NAME || !NAME.test(name)) {
    return `key ${quote(key)} must be ${LABEL_KEY_RULE}`;
  }
  return null;
}

/** What is wrong with the value of `key`, or null when it is a valid label value. */
export function labelValueProblem(key: string, value: unknown): string | null {
  if (typeof value !== 'string') return `value of ${quote(key)} must be a string`;
  if (value === '') return null;
  if (value.length > MAX_LABEL_VALUE || !NAME.test(value)) {
    return `value of ${quote(key)} must be ${LABEL_VALUE_RULE} (got ${quote(value)})`;
  }
  return null;
}

/** The first thing wrong with a labels map, or null when it is valid. */
export function labelsProblem(labels: unknown): string | null {
  if (typeof labels !== 'object' || labels === null || Array.isArray(labels))
    return LABELS_OBJECT_RULE;
  const entries = Object.entries(labels);
  if (entries.length > MAX_LABELS) {
    return `must have at most ${MAX_LABELS} entries (got ${entries.length})`;
  }
  for (const [key, value] of entries) {
    const problem = labelKeyProblem(key) ?? labelValueProblem(key, value);
    if (problem) return problem;
  }
  return null;
}

/** Keys under this prefix are kept by Slipway's own tools (services as code). */
export const RESERVED_LABEL_PREFIX = 'slipway.dev/';
/** The stack that owns a resource, and its logical name in that stack. */
export const STACK_LABEL = 'slipway.dev/stack';
export const STACK_RESOURCE_LABEL = 'slipway.dev/resource';
/** The tool that manages a resource when no stack label says so (`terraform`). */
export const MANAGED_BY_LABEL = 'slipway.dev/managed-by';

function quote(text: string): string {
  return JSON.stringify(text);
}

/** Tags: short lowercase words on a service (`team-a`, `gpu`), filterable with `?tag=`. */
export const MAX_TAGS = 20;
const TAG = /^[a-z0-9]([a-z0-9._:-]{0,61}[a-z0-9])?$/;
export const TAG_RULE =
  'at most 63 lowercase letters, digits, "-", "_", "." or ":", starting and ending with a letter or digit';

/** The first thing wrong with a tag list, or null when it is valid. */
export function tagsProblem(tags: unknown): string | null {
  if (!Array.isArray(tags)) return 'must be a list of strings';
  if (tags.length > MAX_TAGS) return `must have at most ${MAX_TAGS} tags (got ${tags.length})`;
  const seen = new Set<string>();
  for (const tag of tags as unknown[]) {
    if (typeof tag !== 'string' || !TAG.test(tag))
      return `${quote(String(tag))} is not a tag: ${TAG_RULE}`;
    if (seen.has(tag)) return `${quote(tag)} is given twice`;
    seen.add(tag);
  }
  return null;
}
