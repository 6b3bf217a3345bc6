import type { OtlpAnyValue, OtlpKeyValue, OtlpTraceRequest } from './otlp-types';

/**
 * How deeply attribute values may nest (arrays and key-value lists within each other; a
 * plain value is level 1). Reading, converting and storing a value recurse once per level,
 * so without a bound a few thousand levels overflowed the stack.
 */
export const MAX_VALUE_DEPTH = 32;

export const VALUE_TOO_DEEP = `attribute values must not nest deeper than ${MAX_VALUE_DEPTH} levels`;

/** Whether any attribute value in `request` nests deeper than MAX_VALUE_DEPTH; iterative. */
export function valueDepthExceeded(request: OtlpTraceRequest): boolean {
  const pending: [OtlpAnyValue | null | undefined, number][] = [];
  const add = (attributes: readonly OtlpKeyValue[] | null | undefined, depth: number): void => {
    for (const attribute of attributes ?? []) pending.push([attribute.value, depth]);
  };
  for (const resourceSpans of request.resourceSpans ?? []) {
    add(resourceSpans.resource?.attributes, 1);
    for (const scopeSpans of resourceSpans.scopeSpans ?? []) {
      for (const span of scopeSpans.spans ?? []) {
        add(span.attributes, 1);
        for (const event of span.events ?? []) add(event.attributes, 1);
        for (const link of span.links ?? []) add(link.attributes, 1);
      }
    }
  }
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [value, depth] = next;
    if (!value) continue;
    if (depth > MAX_VALUE_DEPTH) return true;
    for (const item of value.arrayValue?.values ?? []) pending.push([item, depth + 1]);
    add(value.kvlistValue?.values, depth + 1);
  }
  return false;
}
