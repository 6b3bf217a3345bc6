import { formatLogLine, LineSplitter, LogCursor } from './logs';

const line = (timestamp: string, message: string, instance = 'web-0') => ({
  timestamp,
  message,
  instance,
});

describe('following service-wide logs', () => {
  it('prints a line as `<timestamp> <instance> <message>`', () => {
    expect(formatLogLine(line('2026-01-31T09:00:00.000Z', 'GET / 200'))).toBe(
      '2026-01-31T09:00:00.000Z web-0 GET / 200\n',
    );
  });

  it('asks from the last timestamp and drops what it printed at that instant', () => {
    const cursor = new LogCursor();
    expect(cursor.start).toBeUndefined();
    const first = [line('T1', 'a'), line('T2', 'b'), line('T2', 'c')];
    expect(cursor.fresh(first)).toEqual(first);
    expect(cursor.start).toBe('T2');
    // The next poll starts at T2 inclusive: b and c come back, d is new.
    expect(cursor.fresh([line('T2', 'b'), line('T2', 'c'), line('T2', 'd')])).toEqual([
      line('T2', 'd'),
    ]);
    expect(cursor.fresh([line('T2', 'b'), line('T3', 'e')])).toEqual([line('T3', 'e')]);
    expect(cursor.start).toBe('T3');
  });

  it('counts identical lines instead of merging them', () => {
    const cursor = new LogCursor();
    cursor.fresh([line('T1', 'tick')]);
    expect(cursor.fresh([line('T1', 'tick'), line('T1', 'tick')])).toEqual([line('T1', 'tick')]);
    expect(cursor.fresh([line('T1', 'tick'), line('T1', 'tick')])).toEqual([]);
  });

  it('keeps lines of another instance at the same instant', () => {
    const cursor = new LogCursor();
    cursor.fresh([line('T1', 'ready', 'web-0')]);
    expect(cursor.fresh([line('T1', 'ready', 'web-0'), line('T1', 'ready', 'web-1')])).toEqual([
      line('T1', 'ready', 'web-1'),
    ]);
  });

  it('ignores lines older than the last one printed', () => {
    const cursor = new LogCursor();
    cursor.fresh([line('T2', 'b')]);
    expect(cursor.fresh([line('T1', 'a')])).toEqual([]);
  });
});

describe('splitting a streamed log into lines', () => {
  it('holds back a partial line until its end arrives', () => {
    const lines = new LineSplitter();
    expect(lines.push('one\ntw')).toEqual(['one']);
    expect(lines.push('o\r\nthree')).toEqual(['two']);
    expect(lines.end()).toEqual(['three']);
    expect(lines.end()).toEqual([]);
  });
});
