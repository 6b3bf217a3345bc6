import { renderHook, waitFor } from '@testing-library/react';
import { createElement, type ReactNode } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { apiError, fakeFetch, json, type Seen } from '../test/fakeApi';
import { member } from '../test/fixtures';
import { testApi } from '../test/render';
import type { Api } from './client';
import { ApiProvider } from './context';
import { useMembers } from './useMembers';

const wrapperFor =
  (api: Api) =>
  ({ children }: { children: ReactNode }) =>
    createElement(ApiProvider, { api, children });

const membersPage = (page: number, totalPages: number, userIds: string[]) =>
  json(200, {
    data: userIds.map((user_id) => member({ user_id, name: `User ${user_id}` })),
    pagination: { page, per_page: 100, total: userIds.length, total_pages: totalPages },
  });

const memberRequests = (seen: Seen[]) => seen.filter(({ path }) => path === '/v1/orgs/o1/members');

describe('useMembers', () => {
  it('reads every page of the list', async () => {
    const { fetch, seen } = fakeFetch({
      'GET /v1/orgs/o1/members': ({ query }) =>
        query.get('page') === '1' ? membersPage(1, 2, ['u1']) : membersPage(2, 2, ['u2']),
    });
    const { result } = renderHook(() => useMembers('o1'), { wrapper: wrapperFor(testApi(fetch)) });
    await waitFor(() => expect(result.current?.size).toBe(2));
    expect(result.current?.get('u2')?.name).toBe('User u2');
    expect(seen.map(({ query }) => query.get('page'))).toEqual(['1', '2']);
  });

  it('reads an organization once for every view of it, and another on its own', async () => {
    const { fetch, seen } = fakeFetch({
      'GET /v1/orgs/o1/members': membersPage(1, 1, ['u1']),
      'GET /v1/orgs/o2/members': membersPage(1, 1, ['u2']),
    });
    const wrapper = wrapperFor(testApi(fetch));
    const first = renderHook(() => useMembers('o1'), { wrapper });
    const second = renderHook(() => useMembers('o1'), { wrapper });
    await waitFor(() => expect(second.result.current?.has('u1')).toBe(true));
    expect(first.result.current).toBe(second.result.current);

    first.unmount();
    const again = renderHook(() => useMembers('o1'), { wrapper });
    // Already there on the first render: a tab opened again shows names at once.
    expect(again.result.current?.has('u1')).toBe(true);
    expect(memberRequests(seen)).toHaveLength(1);

    const other = renderHook(() => useMembers('o2'), { wrapper });
    await waitFor(() => expect(other.result.current?.has('u2')).toBe(true));
    expect(seen).toHaveLength(2);
  });

  it('asks again for a list that could not be read, a minute later', async () => {
    let calls = 0;
    const { fetch, seen } = fakeFetch({
      'GET /v1/orgs/o1/members': () =>
        ++calls === 1 ? apiError(503, 'unavailable', 'Try again') : membersPage(1, 1, ['u1']),
    });
    const wrapper = wrapperFor(testApi(fetch));
    const failed = renderHook(() => useMembers('o1'), { wrapper });
    await waitFor(() => expect(failed.result.current?.size).toBe(0));
    failed.unmount();

    // Opened again at once (another tab): the failure stands, nothing is asked.
    const soon = renderHook(() => useMembers('o1'), { wrapper });
    expect(soon.result.current?.size).toBe(0);
    soon.unmount();
    expect(seen).toHaveLength(1);

    const now = Date.now();
    vi.spyOn(Date, 'now').mockReturnValue(now + 61_000);
    const later = renderHook(() => useMembers('o1'), { wrapper });
    await waitFor(() => expect(later.result.current?.has('u1')).toBe(true));
    expect(seen).toHaveLength(2);
  });
});
