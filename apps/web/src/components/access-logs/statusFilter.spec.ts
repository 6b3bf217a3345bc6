import { describe, expect, it } from 'vitest';
import { parseStatusFilter } from './statusFilter';

describe('the status filter', () => {
  it('takes codes and classes, comma-separated, as the sorted codes they stand for', () => {
    const parsed = parseStatusFilter(' 404, 5xx,200 ');
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.statuses.slice(0, 3)).toEqual([200, 404, 500]);
    expect(parsed.statuses).toHaveLength(102);
    expect(parsed.statuses.at(-1)).toBe(599);
  });

  it('does not filter on empty text', () => {
    expect(parseStatusFilter('  ')).toEqual({ ok: true, statuses: [] });
  });

  it('says which part is neither a code nor a class', () => {
    expect(parseStatusFilter('404, 6xx')).toEqual({
      ok: false,
      error: '"6xx" is not a status code (404) or class (5xx)',
    });
    expect(parseStatusFilter('99').ok).toBe(false);
  });
});
