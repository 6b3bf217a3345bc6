import { act, renderHook, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ApiError } from './errors';
import { useQuery } from './useQuery';

/** A load whose answers the test gives, one pending promise per call. */
function controlledLoad() {
  const calls: { filter: string; signal: AbortSignal; settle: (value: string | Error) => void }[] =
    [];
  const load = (filter: string) => (signal: AbortSignal) =>
    new Promise<string>((resolve, reject) => {
      calls.push({
        filter,
        signal,
        settle: (value) => (value instanceof Error ? reject(value) : resolve(value)),
      });
    });
  return { calls, load };
}

describe('useQuery', () => {
  it('keeps the previous data on screen while new deps load, and aborts the old request', async () => {
    const { calls, load } = controlledLoad();
    const { result, rerender } = renderHook(({ filter }) => useQuery(load(filter), [filter]), {
      initialProps: { filter: 'a' },
    });
    expect(result.current.state.status).toBe('loading');
    act(() => calls[0]?.settle('rows of a'));
    await waitFor(() => expect(result.current.state).toEqual({ status: 'ok', data: 'rows of a' }));

    rerender({ filter: 'b' });
    expect(result.current.refreshing).toBe(true);
    expect(result.current.state).toEqual({ status: 'ok', data: 'rows of a' });
    rerender({ filter: 'c' });
    expect(calls[1]?.signal.aborted).toBe(true);
    act(() => calls[2]?.settle('rows of c'));
    await waitFor(() => expect(result.current.state).toEqual({ status: 'ok', data: 'rows of c' }));
    expect(result.current.refreshing).toBe(false);
  });

  it('keeps the data when a reload fails, and says why', async () => {
    const { calls, load } = controlledLoad();
    const { result } = renderHook(() => useQuery(load('a'), ['a']));
    act(() => calls[0]?.settle('rows'));
    await waitFor(() => expect(result.current.state.status).toBe('ok'));

    act(() => result.current.reload());
    act(() => calls[1]?.settle(new ApiError(503, 'service_unavailable', 'Try again')));
    await waitFor(() => expect(result.current.reloadError?.message).toBe('Try again'));
    expect(result.current.state).toEqual({ status: 'ok', data: 'rows' });
  });

  it('shows the error when new deps fail', async () => {
    const { calls, load } = controlledLoad();
    const { result, rerender } = renderHook(({ filter }) => useQuery(load(filter), [filter]), {
      initialProps: { filter: 'a' },
    });
    act(() => calls[0]?.settle('rows'));
    rerender({ filter: 'b' });
    act(() => calls[1]?.settle(new ApiError(400, 'validation_failed', 'bad filter')));
    await waitFor(() => expect(result.current.state.status).toBe('error'));
    expect(result.current.reloadError).toBeUndefined();
  });
});
