import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { SelectionContext } from '../selection';
import { apiError, fakeFetch, page } from '../test/fakeApi';
import { deployment, service } from '../test/fixtures';
import { renderWithApi, testApi } from '../test/render';
import { ServicesPage } from './ServicesPage';

function renderServices(routes: Parameters<typeof fakeFetch>[0], projectId = 'p1') {
  const fake = fakeFetch(routes);
  renderWithApi(
    <SelectionContext.Provider value={{ orgId: 'o1', projectId }}>
      <ServicesPage />
    </SelectionContext.Provider>,
    testApi(fake.fetch),
  );
  return fake;
}

describe('the services list', () => {
  it('shows a row per service with its status, access, hostname and last deployment', async () => {
    const { seen } = renderServices({
      'GET /v1/services': page([
        service({ id: 's1', name: 'hello', status: 'running' }),
        service({
          id: 's2',
          name: 'worker',
          status: 'failed',
          access_control: { access_type: 'public' },
        }),
      ]),
      'GET /v1/services/s1/deployments': page([
        deployment({ id: 'd1', service_id: 's1', status: 'succeeded' }),
      ]),
      'GET /v1/services/s2/deployments': page([]),
    });

    const rows = await screen.findAllByTestId('service-row');
    expect(rows).toHaveLength(2);
    const [hello, worker] = rows as [HTMLElement, HTMLElement];
    expect(within(hello).getByRole('link', { name: 'hello' }).getAttribute('href')).toBe(
      '/services/s1',
    );
    expect(within(hello).getByTestId('service-status').textContent).toBe('running');
    expect(within(hello).getByText('private')).toBeTruthy();
    expect(within(hello).getByText('hello-1a2b3c4d.apps.example.com')).toBeTruthy();
    expect(within(worker).getByTestId('service-status').textContent).toBe('failed');
    expect(within(worker).getByText('public')).toBeTruthy();

    await waitFor(() =>
      expect(within(hello).getByTestId('deployment-status').textContent).toBe('succeeded'),
    );
    await waitFor(() => expect(within(worker).getByText('—')).toBeTruthy());

    const list = seen.find((request) => request.path === '/v1/services');
    expect(list?.query.get('project_id')).toBe('p1');
    expect(list?.query.get('per_page')).toBe('100');
    const latest = seen.find((request) => request.path === '/v1/services/s1/deployments');
    expect(latest?.query.get('per_page')).toBe('1');
  });

  it('says how to create and deploy the first service when the project has none', async () => {
    renderServices({ 'GET /v1/services': page([]) });
    const empty = await screen.findByTestId('services-empty');
    expect(empty.textContent).toContain('slipway service create --name my-api');
    expect(empty.textContent).toContain('slipway service deploy --name my-api --source .');
    expect(empty.textContent).toContain('slipway project set --id p1');
    expect(screen.queryByTestId('services-table')).toBeNull();
  });

  it("shows the API's error when the list cannot be loaded", async () => {
    renderServices({
      'GET /v1/services': apiError(404, 'not_found', 'Project p1 not found'),
    });
    const alert = await screen.findByTestId('api-error');
    expect(alert.textContent).toContain('Project p1 not found');
    expect(alert.textContent).toContain('not_found');
  });
});
