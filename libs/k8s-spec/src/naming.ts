import { createHash } from 'node:crypto';

/** Longest name a DNS-1123 / DNS-1035 label may have. */
export const MAX_NAME_LENGTH = 63;
/**
 * StatefulSet names must leave room for the `-<10 char hash>` Kubernetes appends in the
 * `controller-revision-hash` label (itself capped at 63), hence 52.
 */
export const MAX_STATEFULSET_NAME_LENGTH = 52;
const HASH_LENGTH = 10;

export interface ResourceNameOptions {
  /**
   * Immutable identity folded into the hash (a service or project id), so a name
   * survives nothing but that identity: a recreated service gets fresh object names.
   * @default none: only `parts` are hashed
   */
  readonly uniqueBy?: string;
  /** @default 63 */
  readonly maxLength?: number;
}

function slug(part: string): string {
  return part
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '');
}

/**
 * The one naming rule for every object Slipway renders: a readable prefix built from
 * `parts`, then `-` and a 10 hex character hash of the exact inputs.
 *
 * The result is always a DNS-1035 label (lowercase alphanumerics and `-`, starts with a
 * letter, ends alphanumeric) of at most `maxLength` characters, so it is valid for every
 * kind, Services included. Distinct inputs give distinct names (40 bits of SHA-256),
 * even when their readable prefixes coincide (`["a-b","c"]` vs `["a","b-c"]`) or are
 * truncated.
 */
export function resourceName(parts: readonly string[], options: ResourceNameOptions = {}): string {
  const maxLength = options.maxLength ?? MAX_NAME_LENGTH;
  if (!Number.isInteger(maxLength) || maxLength < HASH_LENGTH + 3 || maxLength > 253) {
    throw new RangeError(`maxLength: must be an integer in 13..253 (got ${maxLength})`);
  }
  const hash = createHash('sha256')
    .update(JSON.stringify([parts, options.uniqueBy ?? null]))
    .digest('hex')
    .slice(0, HASH_LENGTH);
  let readable = parts.map(slug).filter(Boolean).join('-');
  // DNS-1035 needs a leading letter; "x" keeps digit-led inputs readable ("x-2024-...").
  if (!/^[a-z]/.test(readable)) readable = readable ? `x-${readable}` : 'x';
  readable = readable.slice(0, maxLength - HASH_LENGTH - 1).replace(/-+$/, '');
  return `${readable}-${hash}`;
}
