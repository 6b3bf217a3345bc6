import { describe, expect, it } from 'vitest';
import { fakeFetch, apiError, ok, page } from '../test/fakeApi';
import { createApi, call } from './client';
import { CSRF_HEADER, createCsrfStore } from './csrf';
import { closeSession, listOrgs, openSession } from './endpoints';
import { ApiError } from './errors';

const session = { id: 's1', expires_at: '2026-12-06T22:00:00.000Z', csrf_token: 'csrf-123' };

function setUp(token?: string) {
  const fake = fakeFetch({
    'GET /v1/orgs': page([]),
    'POST /v1/projects': ok({ id: 'p1' }),
    'PATCH /v1/projects/p1': ok({ id: 'p1' }),
    'DELETE /v1/sessions/current': ok(session),
    'POST /v1/sessions': ok(session),
  });
  const csrf = createCsrfStore(undefined);
  if (token) csrf.set(token);
  const api = createApi({ baseUrl: 'http://localhost:3000', fetch: fake.fetch, csrf });
  return { ...fake, api };
}

describe('the API client', () => {
  it('sends X-CSRF-Token on every non-GET request', async () => {
    const { api, seen } = setUp('csrf-123');
    await api.client.POST('/v1/projects', { body: { org_id: 'o1', name: 'shop' } });
    await api.client.PATCH('/v1/projects/{id}', {
      params: { path: { id: 'p1' } },
      body: { description: 'x' },
    });
    await api.client.DELETE('/v1/sessions/current');
    expect(seen.map((request) => request.method)).toEqual(['POST', 'PATCH', 'DELETE']);
    for (const request of seen) expect(request.headers.get(CSRF_HEADER)).toBe('csrf-123');
  });

  it('never sends X-CSRF-Token on a GET', async () => {
    const { api, seen } = setUp('csrf-123');
    await listOrgs(api);
    await api.client.GET('/v1/orgs', { headers: { [CSRF_HEADER]: 'forced' } });
    expect(seen).toHaveLength(2);
    for (const request of seen) {
      expect(request.method).toBe('GET');
      expect(request.headers.has(CSRF_HEADER)).toBe(false);
    }
  });

  it('sends every request with the same-origin credentials (the session cookie)', async () => {
    const { api, seen } = setUp('csrf-123');
    await listOrgs(api);
    await api.client.DELETE('/v1/sessions/current');
    expect(seen.map((request) => request.credentials)).toEqual(['same-origin', 'same-origin']);
  });

  it('sends no CSRF header at all before a session was opened', async () => {
    const { api, seen } = setUp();
    await api.client.POST('/v1/projects', { body: { org_id: 'o1', name: 'shop' } });
    expect(seen[0]?.headers.has(CSRF_HEADER)).toBe(false);
  });

  it('keeps the answered CSRF token, sends it next, and forgets it on sign-out', async () => {
    const { api, seen } = setUp();
    await openSession(api, 'slp_pat_secret');
    expect(JSON.parse(seen[0]?.body ?? '')).toEqual({ token: 'slp_pat_secret' });
    expect(seen[0]?.headers.has(CSRF_HEADER)).toBe(false);
    expect(api.csrf.get()).toBe('csrf-123');
    await closeSession(api);
    expect(seen[1]?.headers.get(CSRF_HEADER)).toBe('csrf-123');
    expect(api.csrf.get()).toBeUndefined();
  });

  it('stores the CSRF token in sessionStorage and never the token itself', async () => {
    const fake = fakeFetch({ 'POST /v1/sessions': ok(session) });
    const api = createApi({ baseUrl: 'http://localhost:3000', fetch: fake.fetch });
    await openSession(api, 'slp_pat_secret');
    const stored = [
      ...Object.values({ ...window.sessionStorage }),
      ...Object.values({ ...window.localStorage }),
    ].join('\n');
    expect(stored).toContain('csrf-123');
    expect(stored).not.toContain('slp_pat_secret');
    expect(createApi({ fetch: fake.fetch }).csrf.get()).toBe('csrf-123');
  });

  it('turns the platform error shape into an ApiError with its code and message', async () => {
    const fake = fakeFetch({ 'GET /v1/orgs': apiError(403, 'forbidden', 'Not allowed here') });
    const api = createApi({ baseUrl: 'http://localhost:3000', fetch: fake.fetch });
    const failure = await call(api.client.GET('/v1/orgs')).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ApiError);
    expect(failure).toMatchObject({
      status: 403,
      code: 'forbidden',
      message: 'Not allowed here',
      requestId: 'req-test',
    });
  });

  it('says the API cannot be reached when fetch itself fails', async () => {
    const api = createApi({
      baseUrl: 'http://localhost:3000',
      fetch: () => Promise.reject(new TypeError('fetch failed')),
    });
    await expect(listOrgs(api)).rejects.toMatchObject({
      code: 'network_error',
      message: 'Cannot reach the API: fetch failed',
    });
  });
});
