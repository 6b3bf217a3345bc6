/** A plain, mutable config tree before validation. */
export type RawConfig = Record<string, unknown>;

/** Sets `value` at a dotted path, creating (or replacing non-object) parents on the way. */
export function setPath(target: RawConfig, path: string, value: unknown): void {
  const keys = path.split('.');
  let node = target;
  for (const key of keys.slice(0, -1)) {
    const next = node[key];
    if (typeof next !== 'object' || next === null) node[key] = {};
    node = node[key] as RawConfig;
  }
  node[keys[keys.length - 1] as string] = value;
}

/** The value at a dotted path, or undefined when any part of it is missing. */
export function valueAt(source: unknown, path: string): unknown {
  let node = source;
  for (const key of path.split('.')) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as RawConfig)[key];
  }
  return node;
}

/**
 * Turns per-section overrides (`{ http: { port: 0 } }`) into dotted ones (`{ 'http.port': 0 }`),
 * so that each key replaces one setting and the rest of the section stays.
 */
export function sectionOverrides(
  sections: Readonly<Record<string, object | undefined>>,
): Record<string, unknown> {
  const flat: Record<string, unknown> = {};
  for (const [section, values] of Object.entries(sections)) {
    for (const [key, value] of Object.entries(values ?? {})) flat[`${section}.${key}`] = value;
  }
  return flat;
}

export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
