/** What the status box holds: codes (404) and classes (5xx), comma-separated. */
export type StatusFilter = { ok: true; statuses: number[] } | { ok: false; error: string };

const CODE = /^[1-5]\d\d$/;
const CLASS = /^([1-5])xx$/i;

/**
 * The status codes a filter text stands for, as the API wants them (integers from 100 to
 * 599): "4xx, 500" is 400–499 and 500. Empty text does not filter.
 */
export function parseStatusFilter(text: string): StatusFilter {
  const statuses = new Set<number>();
  for (const part of text.split(',').map((piece) => piece.trim())) {
    if (part === '') continue;
    const statusClass = CLASS.exec(part);
    if (statusClass) {
      const first = Number(statusClass[1]) * 100;
      for (let code = first; code < first + 100; code += 1) statuses.add(code);
    } else if (CODE.test(part)) {
      statuses.add(Number(part));
    } else {
      return { ok: false, error: `"${part}" is not a status code (404) or class (5xx)` };
    }
  }
  return { ok: true, statuses: [...statuses].sort((a, b) => a - b) };
}
