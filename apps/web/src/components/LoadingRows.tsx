import { Skeleton, Stack } from '@mantine/core';

interface LoadingRowsProps {
  /** What is loading, for screen readers ("the instances"). */
  what: string;
  rows?: number;
  /** One row's height in px: that of the rows that will replace these, so nothing jumps. */
  rowHeight?: number;
}

/** Skeleton rows standing in for a table or list until its first answer. */
export function LoadingRows({ what, rows = 5, rowHeight = 36 }: LoadingRowsProps) {
  return (
    <Stack gap={6} aria-busy="true" aria-label={`Loading ${what}`} role="status">
      {Array.from({ length: rows }, (_, index) => (
        <Skeleton key={index} height={rowHeight} radius="sm" />
      ))}
    </Stack>
  );
}
