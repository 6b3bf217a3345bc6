import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { App } from './App';
import { CSRF_HEADER } from './api/csrf';
import { apiError, fakeFetch, ok, page } from './test/fakeApi';
import { org, project, service } from './test/fixtures';
import { renderWithRouter } from './test/render';

const PAT = 'slp_pat_local_dev_bootstrap_token_change_me';
const session = { id: 's1', expires_at: '2026-12-06T22:00:00.000Z', csrf_token: 'csrf-abc' };

function signedOutApi(extra: Parameters<typeof fakeFetch>[0] = {}) {
  return fakeFetch({
    'GET /v1/sessions/current': apiError(401, 'unauthorized', 'Missing, invalid or revoked token'),
    'POST /v1/sessions': ok(session),
    'GET /v1/orgs': page([org('o1', 'default'), org('o2', 'research')]),
    'GET /v1/projects': ({ query }) =>
      page(
        query.get('org_id') === 'o2'
          ? [project('p2', 'o2', 'lab')]
          : [project('p1', 'o1', 'default')],
      ),
    'GET /v1/services': ({ query }) =>
      page(query.get('project_id') === 'p1' ? [service({ id: 's1', name: 'hello' })] : []),
    'GET /v1/services/s1/deployments': page([]),
    'DELETE /v1/sessions/current': ok(session),
    ...extra,
  });
}

const renderApp = (fetch: (request: Request) => Promise<Response>) =>
  renderWithRouter(<App apiOptions={{ baseUrl: 'http://localhost:3000', fetch }} />);

describe('signing in', () => {
  it('posts the token to /v1/sessions, then loads the organizations', async () => {
    const { fetch, seen } = signedOutApi();
    renderApp(fetch);
    const user = userEvent.setup();

    const input = await screen.findByTestId('token-input');
    await user.type(input, PAT);
    await user.click(screen.getByTestId('sign-in'));

    expect(await screen.findByTestId('org-select')).toBeTruthy();
    await waitFor(() => expect(screen.getAllByTestId('service-row')).toHaveLength(1));

    const calls = seen.map((request) => `${request.method} ${request.path}`);
    const signIn = calls.indexOf('POST /v1/sessions');
    expect(signIn).toBeGreaterThan(calls.indexOf('GET /v1/sessions/current'));
    expect(calls.indexOf('GET /v1/orgs')).toBeGreaterThan(signIn);
    expect(JSON.parse(seen[signIn]?.body ?? '')).toEqual({ token: PAT });

    // The first organization and its first project are chosen, and remembered by id only.
    expect(screen.getByTestId<HTMLSelectElement>('org-select').value).toBe('o1');
    expect(screen.getByTestId<HTMLSelectElement>('project-select').value).toBe('p1');
    expect(JSON.parse(window.localStorage.getItem('slipway.selection') ?? '')).toEqual({
      org_id: 'o1',
      project_id: 'p1',
    });
    const storage = JSON.stringify({ ...window.localStorage, ...window.sessionStorage });
    expect(storage).not.toContain(PAT);
  });

  it("shows the API's error and empties the field when the token is refused", async () => {
    const { fetch } = signedOutApi({
      'POST /v1/sessions': apiError(401, 'unauthorized', 'The token is not valid'),
    });
    renderApp(fetch);
    const user = userEvent.setup();
    const input = await screen.findByTestId('token-input');
    await user.type(input, 'slp_pat_wrong');
    await user.click(screen.getByTestId('sign-in'));

    const alert = await screen.findByTestId('api-error');
    expect(alert.textContent).toContain('The token is not valid');
    expect(alert.textContent).toContain('unauthorized');
    expect(screen.getByTestId<HTMLInputElement>('token-input').value).toBe('');
  });

  it('skips the form when a session exists, and signs out with the CSRF header', async () => {
    window.sessionStorage.setItem('slipway.csrf_token', 'csrf-kept');
    const { fetch, seen } = signedOutApi({
      'GET /v1/sessions/current': ok({ id: 's1', expires_at: session.expires_at }),
    });
    renderApp(fetch);
    const user = userEvent.setup();

    await user.click(await screen.findByTestId('sign-out'));
    expect(await screen.findByTestId('token-input')).toBeTruthy();
    const signOut = seen.find((request) => request.method === 'DELETE');
    expect(signOut?.path).toBe('/v1/sessions/current');
    expect(signOut?.headers.get(CSRF_HEADER)).toBe('csrf-kept');
    expect(window.sessionStorage.getItem('slipway.csrf_token')).toBeNull();
  });

  it('returns to a remembered organization and project, and switches between them', async () => {
    window.localStorage.setItem(
      'slipway.selection',
      JSON.stringify({ org_id: 'o2', project_id: 'p2' }),
    );
    const { fetch } = signedOutApi({ 'GET /v1/sessions/current': ok(session) });
    renderApp(fetch);
    const user = userEvent.setup();

    expect(await screen.findByTestId('services-empty')).toBeTruthy();
    expect(screen.getByTestId<HTMLSelectElement>('org-select').value).toBe('o2');

    await user.selectOptions(screen.getByTestId('org-select'), 'o1');
    await waitFor(() =>
      expect(screen.getByTestId<HTMLSelectElement>('project-select').value).toBe('p1'),
    );
    const table = await screen.findByTestId('services-table');
    expect(within(table).getByText('hello')).toBeTruthy();
  });
});
