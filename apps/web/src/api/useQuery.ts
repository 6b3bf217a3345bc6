import { useCallback, useEffect, useState, type DependencyList } from 'react';
import { toApiError, type ApiError } from './errors';
import type { AsyncState } from './useAsync';

export interface Query<T> {
  /** The newest settled outcome; `loading` only until the first one. */
  state: AsyncState<T>;
  /** A newer load is under way; `state` still shows the previous outcome meanwhile. */
  refreshing: boolean;
  /** When the shown outcome arrived (ms since the epoch); undefined while loading. */
  settledAt: number | undefined;
  /** Why the last reload failed while `state` kept the data from before it. */
  reloadError: ApiError | undefined;
  /** Loads again with the same deps (a "Refresh" button, a poll). */
  reload: () => void;
}

interface Outcome<T> {
  /** The deps, then the reload count, it was loaded for. */
  key: DependencyList;
  state: AsyncState<T>;
  at: number;
  reloadError?: ApiError;
}

const sameKey = (a: DependencyList, b: DependencyList): boolean =>
  a.length === b.length && a.every((value, index) => Object.is(value, b[index]));

/** Same deps, whatever the reload count. */
const sameDeps = (a: DependencyList, b: DependencyList): boolean =>
  sameKey(a.slice(0, -1), b.slice(0, -1));

/**
 * Like useAsync, for a view whose inputs change in place (filters, a time window): the
 * previous rows stay on screen while the next ones load, so the layout does not jump. The
 * request for deps that changed is aborted; its answer is never shown. With `pollMs` it
 * loads again that often (a live view); a failed reload keeps the data it would have
 * replaced and says why in `reloadError`, so one lost poll does not blank the view.
 */
export function useQuery<T>(
  load: (signal: AbortSignal) => Promise<T>,
  deps: DependencyList,
  { pollMs }: { pollMs?: number } = {},
): Query<T> {
  const [reloads, setReloads] = useState(0);
  const [outcome, setOutcome] = useState<Outcome<T>>();
  const key = [...deps, reloads];
  useEffect(() => {
    const abort = new AbortController();
    load(abort.signal).then(
      (data) => {
        if (!abort.signal.aborted)
          setOutcome({ key, state: { status: 'ok', data }, at: Date.now() });
      },
      (caught: unknown) => {
        if (abort.signal.aborted) return;
        const error = toApiError(caught);
        setOutcome((previous) =>
          previous?.state.status === 'ok' && sameDeps(previous.key, key)
            ? { ...previous, key, reloadError: error }
            : { key, state: { status: 'error', error }, at: Date.now() },
        );
      },
    );
    return () => abort.abort();
  }, key);
  const reload = useCallback(() => setReloads((count) => count + 1), []);
  useEffect(() => {
    if (pollMs === undefined) return;
    const timer = setInterval(reload, pollMs);
    return () => clearInterval(timer);
  }, [pollMs, reload]);
  return {
    state: outcome?.state ?? { status: 'loading' },
    refreshing: outcome !== undefined && !sameKey(outcome.key, key),
    settledAt: outcome?.at,
    reloadError: outcome?.reloadError,
    reload,
  };
}
