/**
 * What both runtimes share to answer `serviceLogs`: reading the timestamp the runtime writes
 * before each line (`timestamps=true`), the window and substring checks, and keeping the
 * newest `limit` lines of all instances together, with memory bounded by `limit` however
 * long the logs are.
 */
import type { ServiceLogLine, ServiceLogQuery } from './runtime-driver';

/** A line's time: Date holds milliseconds, the runtimes write nanoseconds (ordering needs them). */
export interface LineTime {
  readonly millis: number;
  /** Nanoseconds within the millisecond, 0..999999. */
  readonly nanos: number;
}

export interface TimestampedLine {
  readonly time: LineTime;
  readonly message: string;
}

/** RFC 3339 with up to nine fraction digits, one space, the message (Docker and the kubelet). */
const TIMESTAMPED =
  /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})(?: |$)/;

/** The time and message of `2026-01-01T10:00:00.123456789Z message`; null without a timestamp. */
export function parseTimestampedLine(line: string): TimestampedLine | null {
  const match = TIMESTAMPED.exec(line);
  if (match === null) return null;
  const [prefix, seconds, fraction = '', zone] = match;
  const digits = fraction.padEnd(9, '0');
  const millis = Date.parse(`${seconds}.${digits.slice(0, 3)}${zone}`);
  if (Number.isNaN(millis)) return null;
  return { time: { millis, nanos: Number(digits.slice(3)) }, message: line.slice(prefix.length) };
}

/**
 * The runtime can cut the log to the last `limit` lines itself only when every one of them
 * is wanted: no substring to match and no end (a filter or an end would drop some of them,
 * and older lines that do qualify would be missing). The start is applied after the cut,
 * which keeps the newest lines of the window.
 */
export function runtimeTail(
  query: Pick<ServiceLogQuery, 'end' | 'filter' | 'limit'>,
): number | undefined {
  return query.end === undefined && !query.filter ? query.limit : undefined;
}

/** `start` to the whole second at or before it (runtimes take seconds; lines are checked exactly). */
export function floorSeconds(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}

/** `end` to the whole second at or after it. */
export function ceilSeconds(date: Date): number {
  return Math.ceil(date.getTime() / 1000);
}

interface Entry extends ServiceLogLine {
  readonly time: LineTime;
  /** Arrival order: keeps an instance's lines of the same nanosecond in log order. */
  readonly sequence: number;
}

/** Older first; ties by instance name, then log order, so the answer is deterministic. */
function compare(a: Entry, b: Entry): number {
  return (
    a.time.millis - b.time.millis ||
    a.time.nanos - b.time.nanos ||
    (a.instance < b.instance ? -1 : a.instance > b.instance ? 1 : 0) ||
    a.sequence - b.sequence
  );
}

/** Takes one instance's log a line at a time. */
export interface InstanceLogSink {
  line(raw: string): void;
  /** Several lines, `\n`-separated (a trailing newline ends the last one). */
  text(raw: string): void;
}

/**
 * Collects the lines of every instance that fall in the query's window and contain its
 * filter, keeping only the newest `limit`: a min-heap whose root is the oldest line kept,
 * replaced whenever a newer line arrives once the heap is full.
 */
export class ServiceLogCollector {
  private readonly heap: Entry[] = [];
  private sequence = 0;
  private readonly startMillis: number;
  private readonly endMillis: number;

  constructor(private readonly query: Pick<ServiceLogQuery, 'start' | 'end' | 'filter' | 'limit'>) {
    if (!Number.isInteger(query.limit) || query.limit < 1) {
      throw new RangeError(`limit must be a positive integer (got ${query.limit})`);
    }
    this.startMillis = query.start?.getTime() ?? -Infinity;
    this.endMillis = query.end?.getTime() ?? Infinity;
  }

  /**
   * A sink for one instance's lines, in the order the runtime wrote them. A line without a
   * timestamp continues the one before it (the runtime split a long line) and takes its time;
   * one before any timestamped line cannot be placed and is skipped.
   */
  instance(name: string): InstanceLogSink {
    let last: LineTime | null = null;
    const line = (text: string): void => {
      const raw = text.endsWith('\r') ? text.slice(0, -1) : text; // a TTY ends lines with CRLF
      const parsed = parseTimestampedLine(raw);
      if (parsed !== null) last = parsed.time;
      if (last === null) return;
      this.add(name, last, parsed?.message ?? raw);
    };
    return {
      line,
      text: (raw) => {
        let from = 0;
        while (from < raw.length) {
          const newline = raw.indexOf('\n', from);
          const to = newline === -1 ? raw.length : newline;
          line(raw.slice(from, to));
          from = to + 1;
        }
      },
    };
  }

  /** The lines kept, oldest first. */
  lines(): ServiceLogLine[] {
    return [...this.heap]
      .sort(compare)
      .map(({ instance, timestamp, message }) => ({ instance, timestamp, message }));
  }

  private add(instance: string, time: LineTime, message: string): void {
    // Start inclusive, end exclusive; both are whole milliseconds, so the millis decide.
    if (time.millis < this.startMillis || time.millis >= this.endMillis) return;
    if (this.query.filter && !message.includes(this.query.filter)) return;
    const entry: Entry = {
      instance,
      timestamp: new Date(time.millis),
      message,
      time,
      sequence: this.sequence++,
    };
    if (this.heap.length < this.query.limit) {
      this.push(entry);
      return;
    }
    const oldest = this.heap[0];
    if (oldest !== undefined && compare(entry, oldest) > 0) this.replaceOldest(entry);
  }

  private push(entry: Entry): void {
    const heap = this.heap;
    let index = heap.length;
    heap.push(entry);
    while (index > 0) {
      const parentIndex = (index - 1) >> 1;
      const parent = heap[parentIndex];
      if (parent === undefined || compare(entry, parent) >= 0) break;
      heap[index] = parent;
      index = parentIndex;
    }
    heap[index] = entry;
  }

  private replaceOldest(entry: Entry): void {
    const heap = this.heap;
    let index = 0;
    for (;;) {
      let childIndex = index * 2 + 1;
      let child = heap[childIndex];
      const right = heap[childIndex + 1];
      if (child !== undefined && right !== undefined && compare(right, child) < 0) {
        child = right;
        childIndex += 1;
      }
      if (child === undefined || compare(child, entry) >= 0) break;
      heap[index] = child;
      index = childIndex;
    }
    heap[index] = entry;
  }
}
