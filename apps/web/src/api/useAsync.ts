import { useEffect, useState, type DependencyList } from 'react';
import { toApiError, type ApiError } from './errors';

export type AsyncState<T> =
  { status: 'loading' } | { status: 'error'; error: ApiError } | { status: 'ok'; data: T };

const LOADING = { status: 'loading' } as const;

const sameDeps = (a: DependencyList, b: DependencyList): boolean =>
  a.length === b.length && a.every((value, index) => Object.is(value, b[index]));

/**
 * Runs `load` whenever `deps` change and tracks its outcome. An outcome always belongs to
 * the current deps: an answer for earlier ones is dropped, and is never shown meanwhile.
 */
export function useAsync<T>(load: () => Promise<T>, deps: DependencyList): AsyncState<T> {
  const [outcome, setOutcome] = useState<{ deps: DependencyList; state: AsyncState<T> }>({
    deps,
    state: LOADING,
  });
  useEffect(() => {
    let current = true;
    setOutcome({ deps, state: LOADING });
    load().then(
      (data) => {
        if (current) setOutcome({ deps, state: { status: 'ok', data } });
      },
      (error: unknown) => {
        if (current) setOutcome({ deps, state: { status: 'error', error: toApiError(error) } });
      },
    );
    return () => {
      current = false;
    };
  }, deps);
  return sameDeps(outcome.deps, deps) ? outcome.state : LOADING;
}
