import { describe, expect, it } from 'vitest';
import { chartPoints, formatCores, formatTick } from './metricSeries';

const t0 = Date.parse('2026-12-06T10:00:00.000Z');
const at = (seconds: number) => new Date(t0 + seconds * 1000).toISOString();
const window = { start: t0, end: t0 + 120_000 };

describe('chartPoints', () => {
  it('plots consecutive buckets as they are', () => {
    const points = [
      { time: at(0), value: 1 },
      { time: at(10), value: 2 },
    ];
    const plotted = chartPoints(points, 0, { start: t0, end: t0 + 30_000 });
    expect(plotted).toEqual([
      { time: t0, value: 1 },
      { time: t0 + 10_000, value: 2 },
    ]);
  });

  it('drops a rate to 0 across quiet buckets, before the first and after the last point', () => {
    const points = [
      { time: at(30), value: 4 },
      { time: at(70), value: 2 },
    ];
    expect(chartPoints(points, 0, window)).toEqual([
      { time: t0, value: 0 },
      { time: t0 + 20_000, value: 0 },
      { time: t0 + 30_000, value: 4 },
      { time: t0 + 40_000, value: 0 },
      { time: t0 + 60_000, value: 0 },
      { time: t0 + 70_000, value: 2 },
      { time: t0 + 80_000, value: 0 },
      // the window's last 20 s may still be on their way from the edge
      { time: t0 + 100_000, value: 0 },
    ]);
  });

  it('breaks a latency line across quiet buckets instead of bridging them', () => {
    const points = [
      { time: at(0), value: 40 },
      { time: at(50), value: 60 },
    ];
    expect(chartPoints(points, null, { start: t0, end: t0 + 70_000 })).toEqual([
      { time: t0, value: 40 },
      { time: t0 + 10_000, value: null },
      { time: t0 + 50_000, value: 60 },
    ]);
  });

  it('leaves a runtime reading alone', () => {
    expect(chartPoints([{ time: at(100), value: 0.25 }], undefined, window)).toEqual([
      { time: t0 + 100_000, value: 0.25 },
    ]);
  });
});

describe('formatTick', () => {
  it('shows the time of day, and the date as well for a window of days', () => {
    const noon = new Date(2026, 11, 6, 12, 5).getTime();
    expect(formatTick(noon, 3600_000)).toBe('12:05');
    expect(formatTick(noon, 7 * 24 * 3600_000)).toBe('12-06 12:05');
  });
});

describe('formatCores', () => {
  it('shows millicores below a tenth of a core, so an idle instance does not read 0', () => {
    expect(formatCores(0.0021)).toBe('2.1m cores');
    expect(formatCores(0)).toBe('0 cores');
    expect(formatCores(1.23456)).toBe('1.235 cores');
  });
});
