/**
 * Server-side apply's field ownership, as far as the stand-in needs it: every leaf field an
 * apply or an update sent belongs to its field manager. An apply sets what it sends and
 * removes what its manager sent last time but no longer does (unless another manager owns
 * it); a field another manager owns is a conflict, which `force` resolves by taking it
 * over. Lists count as one field (a real server merges some by key; the platform always
 * sends them whole). So `replicas` set by a scale or an autoscaler survives an apply that
 * leaves it out, as on a cluster.
 */
type Json = Record<string, unknown>;

/** What belongs to the server, not to any manager. */
const SERVER_FIELDS = new Set([
  'apiVersion',
  'kind',
  'status',
  'metadata.name',
  'metadata.namespace',
  'metadata.uid',
  'metadata.resourceVersion',
  'metadata.generation',
  'metadata.creationTimestamp',
  'metadata.managedFields',
]);

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A field's path, encoded: keys may hold dots (`app.kubernetes.io/name` labels), so a path
 * is its key list as JSON.
 */
type Path = string;
const encode = (keys: readonly string[]): Path => JSON.stringify(keys);
const decode = (path: Path): string[] => JSON.parse(path) as string[];

/** Leaf fields of `value`, with their values; an empty object is a leaf. */
function leaves(value: Json, keys: readonly string[] = []): Map<Path, unknown> {
  const found = new Map<Path, unknown>();
  for (const [key, child] of Object.entries(value)) {
    const path = [...keys, key];
    if (SERVER_FIELDS.has(path.join('.'))) continue;
    if (isObject(child) && Object.keys(child).length > 0) {
      for (const [leaf, leafValue] of leaves(child, path)) found.set(leaf, leafValue);
    } else {
      found.set(encode(path), child);
    }
  }
  return found;
}

function identity(body: Json): Json {
  const metadata = isObject(body.metadata) ? body.metadata : {};
  return metadata.namespace === undefined
    ? { name: metadata.name }
    : { name: metadata.name, namespace: metadata.namespace };
}

function read(object: Json, path: Path): unknown {
  let current: unknown = object;
  for (const key of decode(path)) current = isObject(current) ? current[key] : undefined;
  return current;
}

function write(object: Json, path: Path, value: unknown): void {
  const keys = decode(path);
  let current = object;
  for (const key of keys.slice(0, -1)) {
    if (!isObject(current[key])) current[key] = {};
    current = current[key] as Json;
  }
  current[keys.at(-1) ?? ''] = value;
}

/** Deletes the field, and parents it leaves empty. */
function remove(object: Json, path: Path): void {
  const keys = decode(path);
  const parents: Json[] = [object];
  for (const key of keys.slice(0, -1)) {
    const next = parents.at(-1)?.[key];
    if (!isObject(next)) return;
    parents.push(next);
  }
  delete parents.at(-1)?.[keys.at(-1) ?? ''];
  for (let i = parents.length - 1; i > 0; i -= 1) {
    if (Object.keys(parents[i] ?? {}).length > 0) break;
    delete parents[i - 1]?.[keys[i - 1] ?? ''];
  }
}

export type ApplyOutcome =
  { readonly object: Json; commit(): void } | { readonly conflicts: readonly string[] };

export class FieldOwnership {
  /** Per object key: manager → the leaf fields it owns. */
  private readonly owners = new Map<string, Map<string, Set<string>>>();

  /**
   * The object an apply of `body` by `manager` makes of `previous`, or the conflicts; the
   * ownership changes only on `commit()` (once the object passed validation).
   */
  apply(
    key: string,
    manager: string,
    previous: Json | undefined,
    body: Json,
    force: boolean,
  ): ApplyOutcome {
    const current = this.owners.get(key) ?? new Map<string, Set<string>>();
    const managers = new Map([...current].map(([name, fields]) => [name, new Set(fields)]));
    const sent = leaves(body);
    const conflicts: string[] = [];
    for (const [path, value] of sent) {
      for (const [other, fields] of managers) {
        if (other === manager || !fields.has(path)) continue;
        if (JSON.stringify(read(previous ?? {}, path)) === JSON.stringify(value)) continue;
        if (force) fields.delete(path);
        else conflicts.push(`conflict with "${other}": .${decode(path).join('.')}`);
      }
    }
    if (conflicts.length > 0) return { conflicts };
    const object = structuredClone(previous ?? {});
    const ownedByOthers = (path: string): boolean =>
      [...managers].some(([other, fields]) => other !== manager && fields.has(path));
    for (const path of managers.get(manager) ?? []) {
      if (!sent.has(path) && !ownedByOthers(path)) remove(object, path);
    }
    for (const [path, value] of sent) write(object, path, structuredClone(value));
    object.apiVersion = body.apiVersion;
    object.kind = body.kind;
    object.metadata = { ...(object.metadata as Json), ...identity(body) };
    managers.set(manager, new Set(sent.keys()));
    return { object, commit: () => this.owners.set(key, managers) };
  }

  /** A merge patch by `manager`: it owns what it set; what it nulled belongs to no one. */
  update(key: string, manager: string, patch: Json): void {
    const managers = this.owners.get(key) ?? new Map<string, Set<string>>();
    const fields = managers.get(manager) ?? new Set<string>();
    for (const [path, value] of leaves(patch)) {
      for (const other of managers.values()) other.delete(path);
      if (value !== null) fields.add(path);
    }
    managers.set(manager, fields);
    this.owners.set(key, managers);
  }

  forget(key: string): void {
    this.owners.delete(key);
  }
}
