import type { SpanView, TraceView } from '../../api/types';

/** Milliseconds since the epoch, keeping the microseconds that Date.parse drops. */
export function preciseTime(iso: string): number {
  const fraction = /\.(\d+)/.exec(iso)?.[1];
  const whole = Date.parse(fraction === undefined ? iso : iso.replace(`.${fraction}`, ''));
  return fraction === undefined ? whole : whole + Number(`0.${fraction}`) * 1000;
}

export interface WaterfallRow {
  span: SpanView;
  /** 0 for a root (an orphan too), one more per parent. */
  depth: number;
  /** From the trace's start to the span's. */
  offsetMs: number;
  /** Where the bar starts and how long it is, in percent of the trace's length. */
  left: number;
  width: number;
}

/** Narrower bars would vanish; a span this short still shows as a sliver. */
const MIN_WIDTH_PERCENT = 0.4;

/** The trace's spans in the order of a depth-first walk (children by start time), placed. */
export function waterfallRows(trace: TraceView): WaterfallRow[] {
  const start = preciseTime(trace.start_time);
  // An instant trace (every span 0 ms long) would divide by zero.
  const total = Math.max(trace.duration_ms, 0.001);
  const rows: WaterfallRow[] = [];
  const walk = (span: SpanView, depth: number) => {
    const offsetMs = Math.max(0, preciseTime(span.start_time) - start);
    // A sliver at the very end still fits inside the timeline.
    const left = Math.min(100 - MIN_WIDTH_PERCENT, (offsetMs / total) * 100);
    const width = Math.max(
      MIN_WIDTH_PERCENT,
      Math.min(100 - left, (span.duration_ms / total) * 100),
    );
    rows.push({ span, depth, offsetMs, left, width });
    for (const child of span.children) walk(child, depth + 1);
  };
  for (const root of trace.spans) walk(root, 0);
  return rows;
}
