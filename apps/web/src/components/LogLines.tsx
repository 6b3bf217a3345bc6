import { Code } from '@mantine/core';
import { useLayoutEffect, useRef } from 'react';

/** Within this many px of the bottom counts as "at the bottom": new lines keep it there. */
const BOTTOM_SLACK = 24;

/** "120 lines", or "5000 lines (the 31 oldest were let go)" once the oldest were dropped. */
export function lineCountText({ lines, dropped }: { lines: string[]; dropped: number }): string {
  const count = `${lines.length} ${lines.length === 1 ? 'line' : 'lines'}`;
  return dropped > 0 ? `${count} (the ${dropped} oldest were let go)` : count;
}

interface LogLinesProps {
  lines: string[];
  /** What the log is, as its accessible name ("Log of web-1"). */
  label: string;
  testId: string;
  height?: number;
}

/**
 * A followed log: a fixed-height scrollable block that stays at the bottom as lines arrive,
 * unless the reader scrolled up to read.
 */
export function LogLines({ lines, label, testId, height = 360 }: LogLinesProps) {
  const viewport = useRef<HTMLPreElement>(null);
  const atBottom = useRef(true);

  useLayoutEffect(() => {
    const element = viewport.current;
    if (element && atBottom.current) element.scrollTop = element.scrollHeight;
  }, [lines]);

  return (
    <Code
      block
      ref={viewport}
      h={height}
      style={{ overflow: 'auto', whiteSpace: 'pre' }}
      // The log is a scrollable region the keyboard can reach; it is not announced line by
      // line (aria-live off), which would drown a screen reader.
      tabIndex={0}
      role="log"
      aria-live="off"
      aria-label={label}
      data-testid={testId}
      onScroll={(event) => {
        const element = event.currentTarget;
        atBottom.current =
          element.scrollHeight - element.scrollTop - element.clientHeight <= BOTTOM_SLACK;
      }}
    >
      {lines.join('\n')}
    </Code>
  );
}
