/**
 * Every credential Slipway issues starts with a fixed prefix so a leaked one is easy to
 * recognise and scan for (the same idea as GitHub's `ghp_` tokens).
 */
export const TOKEN_PREFIX = {
  personalAccessToken: 'slp_pat_',
  accessKey: 'slp_ak_',
  serviceToken: 'slp_st_',
} as const;

export type TokenKind = keyof typeof TOKEN_PREFIX;

/** The browser session's cookie (HttpOnly; opened by `POST /v1/sessions`). */
export const SESSION_COOKIE = 'slipway_session';

/** Changes made with the session cookie carry its CSRF token in this header. */
export const CSRF_HEADER = 'x-csrf-token';
