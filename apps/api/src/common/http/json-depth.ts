/**
 * How deeply arrays and objects may nest in a request body. Our DTOs nest a few levels; the
 * validation that walks a body (class-transformer, class-validator) recurses once per level
 * and overflows the stack after a couple of thousand. 64 is System.Text.Json's default.
 */
export const MAX_JSON_DEPTH = 64;

export const JSON_TOO_DEEP_MESSAGE = `The request body nests arrays and objects deeper than ${MAX_JSON_DEPTH} levels`;

/**
 * Whether `value` nests arrays and objects deeper than `limit` (`{}` is depth 1). Iterative,
 * so it is safe on anything JSON.parse returns, however deep.
 */
export function jsonDepthExceeds(value: unknown, limit = MAX_JSON_DEPTH): boolean {
  const pending: [unknown, number][] = [[value, 1]];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [node, depth] = next;
    if (typeof node !== 'object' || node === null) continue;
    if (depth > limit) return true;
    for (const child of Object.values(node)) pending.push([child, depth + 1]);
  }
  return false;
}
