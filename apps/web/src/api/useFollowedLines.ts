import { useCallback, useEffect, useState, type DependencyList } from 'react';
import { toApiError, type ApiError } from './errors';
import { readLines } from './textLines';

export type FollowPhase = 'connecting' | 'following' | 'ended' | 'failed';

export interface FollowedLines {
  phase: FollowPhase;
  /** The newest lines, at most `keep` of them. */
  lines: string[];
  /** How many earlier lines were let go to stay within `keep`. */
  dropped: number;
  error?: ApiError;
  /** Opens the stream again from the start (after it ended or failed). */
  reconnect: () => void;
}

interface Progress {
  phase: FollowPhase;
  lines: string[];
  dropped: number;
  error?: ApiError;
}

const CONNECTING: Progress = { phase: 'connecting', lines: [], dropped: 0 };

/**
 * Follows a text stream (an instance's log) while the component is mounted and deps stay
 * the same: the request is aborted on unmount, on a deps change and on reconnect.
 */
export function useFollowedLines(
  open: (signal: AbortSignal) => Promise<ReadableStream<Uint8Array>>,
  deps: DependencyList,
  keep: number,
): FollowedLines {
  const [attempt, setAttempt] = useState(0);
  const [progress, setProgress] = useState<Progress>(CONNECTING);
  useEffect(() => {
    const abort = new AbortController();
    setProgress(CONNECTING);
    const append = (batch: string[]) =>
      setProgress((previous) => {
        const lines = previous.lines.concat(batch);
        const excess = Math.max(0, lines.length - keep);
        return {
          phase: 'following',
          lines: excess > 0 ? lines.slice(excess) : lines,
          dropped: previous.dropped + excess,
        };
      });
    open(abort.signal)
      .then((stream) => {
        if (abort.signal.aborted) return;
        setProgress((previous) => ({ ...previous, phase: 'following' }));
        return readLines(stream, append, abort.signal);
      })
      .then(
        () => {
          if (!abort.signal.aborted) setProgress((previous) => ({ ...previous, phase: 'ended' }));
        },
        (error: unknown) => {
          if (abort.signal.aborted) return;
          setProgress((previous) => ({ ...previous, phase: 'failed', error: toApiError(error) }));
        },
      );
    return () => abort.abort();
  }, [...deps, attempt, keep]);
  const reconnect = useCallback(() => setAttempt((count) => count + 1), []);
  return { ...progress, reconnect };
}
