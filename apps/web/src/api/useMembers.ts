import { useCallback, useSyncExternalStore } from 'react';
import type { Api } from './client';
import { useApi } from './context';
import { listMembers } from './endpoints';
import type { MemberView } from './types';

/** An organization's members by user id. */
export type Members = ReadonlyMap<string, MemberView>;

interface Entry {
  promise: Promise<Members>;
  /** Set once the list arrived (empty when it could not be read). */
  settled?: Members;
  /** When reading the list failed (ms since the epoch). */
  failedAt?: number;
}

/** A list that could not be read is asked for again by a view mounted this much later. */
const RETRY_FAILED_MS = 60_000;

const NO_MEMBERS: Members = new Map();

/** Per client (the signed-in tab), per organization: read once, shared by every view. */
const caches = new WeakMap<Api, Map<string, Entry>>();

function cacheOf(api: Api): Map<string, Entry> {
  let cache = caches.get(api);
  if (!cache) {
    cache = new Map();
    caches.set(api, cache);
  }
  return cache;
}

function load(api: Api, orgId: string): Entry {
  const cache = cacheOf(api);
  const cached = cache.get(orgId);
  if (cached && (cached.failedAt === undefined || Date.now() - cached.failedAt < RETRY_FAILED_MS))
    return cached;
  const entry: Entry = {
    promise: listMembers(api, orgId).then(
      (members) => new Map(members.map((member) => [member.user_id, member])),
      // Names are a nicety: without them the views show short ids, never an error.
      () => {
        entry.failedAt = Date.now();
        return NO_MEMBERS;
      },
    ),
  };
  // Registered first, so `settled` is set before any view hears that the list arrived.
  void entry.promise.then((members) => {
    entry.settled = members;
  });
  cache.set(orgId, entry);
  return entry;
}

/**
 * The members of `orgId` (none asked for while it is undefined); undefined until they
 * arrive, empty when they could not be read. Each organization's list is read once per
 * client and shared, so the views that show it, or a tab opened again, do not read it again.
 */
export function useMembers(orgId: string | undefined): Members | undefined {
  const api = useApi();
  const subscribe = useCallback(
    (changed: () => void) => {
      if (orgId === undefined) return () => undefined;
      let subscribed = true;
      void load(api, orgId).promise.then(() => {
        if (subscribed) changed();
      });
      return () => {
        subscribed = false;
      };
    },
    [api, orgId],
  );
  const snapshot = () => (orgId === undefined ? undefined : caches.get(api)?.get(orgId)?.settled);
  return useSyncExternalStore(subscribe, snapshot);
}

/** What a person is called: the member's name, else their email; undefined if not a member. */
export function memberLabel(members: Members | undefined, userId: string): string | undefined {
  const member = members?.get(userId);
  if (!member) return undefined;
  return member.name.trim() || member.email.trim() || undefined;
}
