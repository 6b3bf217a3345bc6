/**
 * The session's CSRF token (never the Personal Access Token): kept in memory, and in this
 * tab's sessionStorage so a reload can still make changes. Sent as `X-CSRF-Token`.
 */
export const CSRF_HEADER = 'X-CSRF-Token';
const STORAGE_KEY = 'slipway.csrf_token';

export interface CsrfStore {
  get(): string | undefined;
  set(token: string | undefined): void;
}

function tabStorage(): Storage | undefined {
  try {
    return typeof window === 'undefined' ? undefined : window.sessionStorage;
  } catch {
    return undefined; // storage disabled: memory only
  }
}

export function createCsrfStore(storage: Storage | undefined = tabStorage()): CsrfStore {
  let token = storage?.getItem(STORAGE_KEY) ?? undefined;
  return {
    get: () => token,
    set(next) {
      token = next;
      try {
        if (next === undefined) storage?.removeItem(STORAGE_KEY);
        else storage?.setItem(STORAGE_KEY, next);
      } catch {
        // a full or disabled storage leaves the token in memory only
      }
    },
  };
}
