import { describe, expect, it } from 'vitest';
import { trace } from '../../test/fixtures';
import { preciseTime, waterfallRows } from './waterfall';

describe('preciseTime', () => {
  it('keeps the microseconds of a timestamp', () => {
    const base = Date.parse('2026-12-06T10:00:00Z');
    expect(preciseTime('2026-12-06T10:00:00.000250Z') - base).toBeCloseTo(0.25, 6);
    expect(preciseTime('2026-12-06T10:00:00Z')).toBe(base);
  });
});

describe('waterfallRows', () => {
  it('walks the tree depth first and places each span along the trace', () => {
    const rows = waterfallRows(trace('t1'));
    expect(rows.map((row) => [row.span.name, row.depth])).toEqual([
      ['GET /orders', 0],
      ['SELECT orders', 1],
      ['POST /stock', 1],
    ]);
    const [root, db, fetch] = rows as [(typeof rows)[0], (typeof rows)[0], (typeof rows)[0]];
    expect(root.left).toBe(0);
    expect(root.width).toBe(100);
    expect(db.offsetMs).toBeCloseTo(5, 6);
    expect(db.left).toBeCloseTo((5 / 47) * 100, 6);
    expect(db.width).toBeCloseTo((20 / 47) * 100, 6);
    expect(fetch.offsetMs).toBeCloseTo(30.5, 6);
  });

  it('still shows a span too short to see, and an instant trace', () => {
    const instant = { ...trace('t2'), duration_ms: 0 };
    for (const row of waterfallRows(instant)) {
      expect(row.width).toBeGreaterThan(0);
      expect(row.left + row.width).toBeLessThanOrEqual(100.0001);
    }
  });
});
