import {
  ServiceLogCollector,
  ceilSeconds,
  floorSeconds,
  parseTimestampedLine,
  runtimeTail,
} from './service-logs';

const at = (iso: string): Date => new Date(iso);

describe('parseTimestampedLine', () => {
  it("reads Docker's fixed nine-digit fraction and keeps the sub-millisecond part", () => {
    expect(parseTimestampedLine('2026-01-01T10:00:00.123456789Z GET /healthz 200')).toEqual({
      time: { millis: Date.parse('2026-01-01T10:00:00.123Z'), nanos: 456_789 },
      message: 'GET /healthz 200',
    });
  });

  it("reads the kubelet's trimmed fraction, none at all, and an offset", () => {
    expect(parseTimestampedLine('2026-01-01T10:00:00.5Z half')).toEqual({
      time: { millis: Date.parse('2026-01-01T10:00:00.500Z'), nanos: 0 },
      message: 'half',
    });
    expect(parseTimestampedLine('2026-01-01T10:00:00Z whole')?.time.millis).toBe(
      Date.parse('2026-01-01T10:00:00Z'),
    );
    expect(parseTimestampedLine('2026-01-01T12:00:00+02:00 east')?.time.millis).toBe(
      Date.parse('2026-01-01T10:00:00Z'),
    );
  });

  it('keeps the message as written: inner spaces, an empty one', () => {
    expect(parseTimestampedLine('2026-01-01T10:00:00Z   indented  ')?.message).toBe('  indented  ');
    expect(parseTimestampedLine('2026-01-01T10:00:00Z ')?.message).toBe('');
    expect(parseTimestampedLine('2026-01-01T10:00:00Z')?.message).toBe('');
  });

  it('answers null for a line without a valid timestamp in front', () => {
    expect(parseTimestampedLine('plain text')).toBeNull();
    expect(parseTimestampedLine('2026-01-01 10:00:00Z space instead of T')).toBeNull();
    expect(parseTimestampedLine('2026-01-01T10:00:00Zglued')).toBeNull();
    expect(parseTimestampedLine('2026-13-01T10:00:00Z month 13')).toBeNull();
  });
});

describe('ServiceLogCollector', () => {
  it('merges instances by time, nanoseconds included, oldest first', () => {
    const collector = new ServiceLogCollector({ limit: 10 });
    const a = collector.instance('web-a');
    const b = collector.instance('web-b');
    a.line('2026-01-01T10:00:00.000000300Z a1');
    a.line('2026-01-01T10:00:02.000000000Z a2');
    b.line('2026-01-01T10:00:00.000000200Z b1');
    b.line('2026-01-01T10:00:01.000000000Z b2');
    expect(collector.lines()).toEqual([
      { instance: 'web-b', timestamp: at('2026-01-01T10:00:00Z'), message: 'b1' },
      { instance: 'web-a', timestamp: at('2026-01-01T10:00:00Z'), message: 'a1' },
      { instance: 'web-b', timestamp: at('2026-01-01T10:00:01Z'), message: 'b2' },
      { instance: 'web-a', timestamp: at('2026-01-01T10:00:02Z'), message: 'a2' },
    ]);
  });

  it('keeps the log order of lines with the same time, and orders instances by name on ties', () => {
    const collector = new ServiceLogCollector({ limit: 10 });
    const b = collector.instance('web-b');
    const a = collector.instance('web-a');
    for (const message of ['first', 'second', 'third']) b.line(`2026-01-01T10:00:00Z ${message}`);
    a.line('2026-01-01T10:00:00Z other');
    expect(collector.lines().map((l) => `${l.instance} ${l.message}`)).toEqual([
      'web-a other',
      'web-b first',
      'web-b second',
      'web-b third',
    ]);
  });

  it('keeps only the newest `limit` lines, whatever order they arrive in', () => {
    const collector = new ServiceLogCollector({ limit: 3 });
    const sink = collector.instance('web-a');
    const seconds = [5, 1, 9, 3, 7, 2, 8, 0, 6, 4];
    for (const second of seconds) sink.line(`2026-01-01T10:00:0${second}Z line ${second}`);
    expect(collector.lines().map((l) => l.message)).toEqual(['line 7', 'line 8', 'line 9']);
  });

  it('keeps the newest lines of many instances with a heap no larger than the limit', () => {
    const collector = new ServiceLogCollector({ limit: 50 });
    const expected: string[] = [];
    for (let instance = 0; instance < 4; instance += 1) {
      const sink = collector.instance(`web-${instance}`);
      for (let n = 0; n < 500; n += 1) {
        // Instance k logs every 4 ms starting at k ms: the instances interleave.
        const millis = Date.parse('2026-01-01T10:00:00Z') + n * 4 + instance;
        sink.line(`${new Date(millis).toISOString()} ${instance}:${n}`);
        if (n >= 500 - 13) expected.push(`${instance}:${n}`);
      }
    }
    const lines = collector.lines();
    expect(lines).toHaveLength(50);
    const sorted = [...lines].sort((x, y) => x.timestamp.getTime() - y.timestamp.getTime());
    expect(lines).toEqual(sorted);
    // The 50 newest: the last 13 of instances 2 and 3, the last 12 of 0 and 1.
    expect(lines.map((l) => l.message).sort()).toEqual(
      expected.filter((m) => !['0:487', '1:487'].includes(m)).sort(),
    );
  });

  it('applies the window: start inclusive, end exclusive, to the nanosecond', () => {
    const collector = new ServiceLogCollector({
      start: at('2026-01-01T10:00:01Z'),
      end: at('2026-01-01T10:00:03Z'),
      limit: 10,
    });
    const sink = collector.instance('web-a');
    sink.line('2026-01-01T10:00:00.999999999Z too early');
    sink.line('2026-01-01T10:00:01.000000000Z at start');
    sink.line('2026-01-01T10:00:02.999999999Z just before end');
    sink.line('2026-01-01T10:00:03.000000000Z at end');
    sink.line('2026-01-01T10:00:03.000000001Z after end');
    expect(collector.lines().map((l) => l.message)).toEqual(['at start', 'just before end']);
  });

  it('matches the filter case-sensitively against the message only', () => {
    const collector = new ServiceLogCollector({ filter: 'ERROR', limit: 10 });
    const sink = collector.instance('web-a');
    sink.line('2026-01-01T10:00:00Z ERROR disk full');
    sink.line('2026-01-01T10:00:01Z error lowercase');
    sink.line('2026-01-01T10:00:02Z all fine');
    expect(collector.lines().map((l) => l.message)).toEqual(['ERROR disk full']);
  });

  it('gives a line without a timestamp the time of the one before; skips one before any', () => {
    const collector = new ServiceLogCollector({ limit: 10 });
    collector.instance('web-a').text('orphan\n2026-01-01T10:00:00Z head\ncontinued\n');
    expect(collector.lines()).toEqual([
      { instance: 'web-a', timestamp: at('2026-01-01T10:00:00Z'), message: 'head' },
      { instance: 'web-a', timestamp: at('2026-01-01T10:00:00Z'), message: 'continued' },
    ]);
  });

  it('splits text on newlines, with or without a final one', () => {
    const collector = new ServiceLogCollector({ limit: 10 });
    collector.instance('web-a').text('2026-01-01T10:00:00Z one\n2026-01-01T10:00:01Z two');
    collector.instance('web-b').text('2026-01-01T10:00:02Z three\n');
    expect(collector.lines().map((l) => l.message)).toEqual(['one', 'two', 'three']);
  });

  it('refuses a limit that is not a positive integer', () => {
    expect(() => new ServiceLogCollector({ limit: 0 })).toThrow(RangeError);
    expect(() => new ServiceLogCollector({ limit: 1.5 })).toThrow(RangeError);
  });
});

describe('runtime-side bounds', () => {
  it('lets the runtime cut to the last `limit` lines only without an end or a filter', () => {
    expect(runtimeTail({ limit: 100 })).toBe(100);
    expect(runtimeTail({ limit: 100, filter: '' })).toBe(100);
    expect(runtimeTail({ limit: 100, filter: 'x' })).toBeUndefined();
    expect(runtimeTail({ limit: 100, end: at('2026-01-01T10:00:00Z') })).toBeUndefined();
  });

  it('widens a window to whole seconds', () => {
    const date = at('2026-01-01T10:00:00.400Z');
    expect(floorSeconds(date)).toBe(Date.parse('2026-01-01T10:00:00Z') / 1000);
    expect(ceilSeconds(date)).toBe(Date.parse('2026-01-01T10:00:01Z') / 1000);
    expect(ceilSeconds(at('2026-01-01T10:00:00Z'))).toBe(Date.parse('2026-01-01T10:00:00Z') / 1000);
  });
});
