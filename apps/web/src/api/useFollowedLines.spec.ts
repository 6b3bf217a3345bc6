import { renderHook, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { textStream } from '../test/fakeApi';
import { ApiError } from './errors';
import { useFollowedLines } from './useFollowedLines';

const bodyOf = (response: Response): Promise<ReadableStream<Uint8Array>> =>
  response.body ? Promise.resolve(response.body) : Promise.reject(new Error('no body'));

describe('useFollowedLines', () => {
  it('keeps the newest lines and counts the ones it let go', async () => {
    const log = textStream();
    const { result } = renderHook(() => useFollowedLines(() => bodyOf(log.response()), [], 2));
    log.write('a\nb\nc\n');
    await waitFor(() => expect(result.current.lines).toEqual(['b', 'c']));
    expect(result.current.dropped).toBe(1);
    expect(result.current.phase).toBe('following');
    log.end();
    await waitFor(() => expect(result.current.phase).toBe('ended'));
  });

  it('fails with the error the stream could not be opened with', async () => {
    const refused = new ApiError(403, 'forbidden', 'Not a member of this project', 'req-1');
    const { result } = renderHook(() => useFollowedLines(() => Promise.reject(refused), [], 10));
    await waitFor(() => expect(result.current.phase).toBe('failed'));
    expect(result.current.error).toBe(refused);
  });

  it('cancels the stream on unmount', async () => {
    const log = textStream();
    const { result, unmount } = renderHook(() =>
      useFollowedLines(() => bodyOf(log.response()), [], 10),
    );
    await waitFor(() => expect(result.current.phase).toBe('following'));
    unmount();
    await waitFor(() => expect(log.cancelled).toBe(true));
  });
});
