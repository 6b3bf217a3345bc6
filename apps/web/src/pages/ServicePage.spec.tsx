import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes } from 'react-router';
import { describe, expect, it } from 'vitest';
import { apiError, fakeFetch, json, ok, page } from '../test/fakeApi';
import { deployment, member, metricSeries, service } from '../test/fixtures';
import { renderWithApi, testApi } from '../test/render';
import { ServicePage } from './ServicePage';

const renderPage = (routes: Parameters<typeof fakeFetch>[0]) =>
  renderWithApi(
    <Routes>
      <Route path="/services/:id" element={<ServicePage />} />
    </Routes>,
    testApi(fakeFetch(routes).fetch),
    '/services/s1',
  );

const deployments = [
  deployment({
    id: '9b1e4c7a-1111-4000-8000-000000000002',
    service_id: 's1',
    status: 'deploying',
    ended_at: null,
    started_by: 'a7d3e2f1-2222-4000-8000-000000000003',
    env: [
      { name: 'GREETING', value: 'hi', secret: false },
      { name: 'API_KEY', value: '********', secret: true },
    ],
  }),
  deployment({
    id: '3c2d1e0f-3333-4000-8000-000000000004',
    service_id: 's1',
    status: 'build_failed',
    failure_reason: 'Dockerfile not found',
  }),
];

describe('the service page', () => {
  it('shows the header: status, access type, hostname to copy, category, deployed by', async () => {
    renderPage({
      'GET /v1/services/s1': ok(service({ id: 's1', name: 'hello', category: 'agent' })),
      'GET /v1/services/s1/deployments': page(deployments),
    });
    const header = await screen.findByTestId('service-header');
    expect(within(header).getByRole('heading', { name: 'hello' })).toBeTruthy();
    expect(within(header).getByTestId('service-status').textContent).toBe('running');
    expect(within(header).getByTestId('service-access-type').textContent).toBe('private');
    expect(screen.getByTestId('service-hostname').textContent).toBe(
      'hello-1a2b3c4d.apps.example.com',
    );
    expect(within(header).getByRole('button', { name: 'Copy the hostname' })).toBeTruthy();
    expect(within(header).getByText('agent')).toBeTruthy();
    // Not a member the API names (no members list here): the short id, the whole on hover.
    const deployedBy = within(header).getByTestId('service-deployed-by');
    expect(deployedBy.textContent).toBe('a7d3e2f1');
    expect(within(deployedBy).getByTitle('a7d3e2f1-2222-4000-8000-000000000003')).toBeTruthy();
    expect(screen.getByTestId('python-snippet').textContent).toContain('Authorization');
  });

  it('names who deployed, in the header and the Deployments tab, reading the members once', async () => {
    const fake = fakeFetch({
      'GET /v1/services/s1': ok(service({ id: 's1', name: 'hello', org_id: 'o7' })),
      'GET /v1/services/s1/deployments': page(deployments),
      'GET /v1/orgs/o7/members': page([
        member({ user_id: 'a7d3e2f1-2222-4000-8000-000000000003', name: 'Ada Lovelace' }),
      ]),
    });
    renderWithApi(
      <Routes>
        <Route path="/services/:id" element={<ServicePage />} />
      </Routes>,
      testApi(fake.fetch),
      '/services/s1?tab=deployments',
    );
    const deployedBy = await screen.findByTestId('service-deployed-by');
    await waitFor(() => expect(deployedBy.textContent).toBe('Ada Lovelace'));
    const [newest, oldest] = screen.getAllByTestId('deployment-row') as [HTMLElement, HTMLElement];
    expect(within(newest).getByText('Ada Lovelace')).toBeTruthy();
    // Someone no longer in the organization.
    expect(within(oldest).getByTitle('5f0c2a9e-0000-4000-8000-000000000001').textContent).toBe(
      '5f0c2a9e',
    );

    const user = userEvent.setup();
    await user.click(screen.getByRole('tab', { name: 'Endpoint' }));
    await user.click(screen.getByRole('tab', { name: 'Deployments' }));
    const [again] = await screen.findAllByTestId('deployment-row');
    expect(within(again as HTMLElement).getByText('Ada Lovelace')).toBeTruthy();
    const reads = fake.seen.filter(({ path }) => path === '/v1/orgs/o7/members');
    expect(reads).toHaveLength(1);
  });

  it('lists the deployments with their resources and env var count (secrets as masked)', async () => {
    renderPage({
      'GET /v1/services/s1': ok(service({ id: 's1', name: 'hello' })),
      'GET /v1/services/s1/deployments': page(deployments),
    });
    const user = userEvent.setup();
    await user.click(await screen.findByRole('tab', { name: 'Deployments' }));

    const rows = await screen.findAllByTestId('deployment-row');
    expect(rows).toHaveLength(2);
    const [newest, oldest] = rows as [HTMLElement, HTMLElement];
    expect(within(newest).getByText('9b1e4c7a')).toBeTruthy();
    expect(within(newest).getByTestId('deployment-status').textContent).toBe('deploying');
    expect(within(newest).getByText('a7d3e2f1')).toBeTruthy();
    expect(within(newest).getByText('500m CPU · 512Mi')).toBeTruthy();
    const envButton = within(newest).getByRole('button', {
      name: /Show the 2 environment variables/,
    });
    expect(envButton.textContent).toBe('2 (1 secret)');
    await user.click(envButton);
    expect(await screen.findByText('API_KEY=********')).toBeTruthy();
    expect(within(oldest).getByText('Dockerfile not found')).toBeTruthy();
  });

  it('opens each view in its own tab', async () => {
    renderPage({
      'GET /v1/services/s1': ok(service({ id: 's1', name: 'hello' })),
      'GET /v1/services/s1/deployments': page([]),
      'GET /v1/services/s1/traces': json(200, { data: [], pagination: { next_cursor: null } }),
      'GET /v1/services/s1/pods': page([]),
      'GET /v1/services/s1/metrics': json(200, { data: [metricSeries('request_rate', [])] }),
    });
    const user = userEvent.setup();
    await user.click(await screen.findByRole('tab', { name: 'Traces' }));
    expect(await screen.findByText('No traces in this window')).toBeTruthy();
    await user.click(screen.getByRole('tab', { name: 'Pods' }));
    expect(await screen.findByTestId('pods-empty')).toBeTruthy();
    expect(screen.queryByText('No traces in this window')).toBeNull();
    await user.click(screen.getByRole('tab', { name: 'Metrics' }));
    // The Metrics tab loads the charts library lazily: a first import under CI load has taken
    // longer than the usual 10 s.
    const heading = await screen.findByRole(
      'heading',
      { name: 'Request rate' },
      { timeout: 30_000 },
    );
    expect(heading).toBeTruthy();
    expect(screen.getByTestId('service-deployed-by').textContent).toBe('not deployed yet');
  }, 90_000);

  it('shows a redeployed service with its new deployment, following it until it ends', async () => {
    const current = deployment({ id: '3c2d1e0f-3333-4000-8000-000000000004', service_id: 's1' });
    const started = deployment({
      id: 'f00dfeed-5555-4000-8000-000000000006',
      service_id: 's1',
      status: 'deploying',
      ended_at: null,
    });
    let history = [current];
    renderPage({
      'GET /v1/services/s1': ok(service({ id: 's1', name: 'hello' })),
      'GET /v1/services/s1/deployments': () => page(history),
      'POST /v1/services/s1/redeploy': () => {
        history = [started, current];
        return ok(started);
      },
    });
    const user = userEvent.setup();
    await user.click(await screen.findByRole('tab', { name: 'Deployments' }));
    await user.click(screen.getByRole('button', { name: 'Redeploy' }));
    const dialog = await screen.findByRole('dialog');
    await user.click(within(dialog).getByRole('button', { name: 'Redeploy' }));
    await waitFor(() => expect(screen.getAllByTestId('deployment-row')).toHaveLength(2));
    const newest = screen.getAllByTestId('deployment-row')[0] as HTMLElement;
    expect(within(newest).getByTestId('deployment-status').textContent).toBe('deploying');

    history = [{ ...started, status: 'succeeded' }, current];
    await waitFor(
      () =>
        expect(
          within(screen.getAllByTestId('deployment-row')[0] as HTMLElement).getByTestId(
            'deployment-status',
          ).textContent,
        ).toBe('succeeded'),
      { timeout: 15_000 },
    );
  });

  it("shows the API's error for a service that does not exist", async () => {
    renderPage({
      'GET /v1/services/s1': apiError(404, 'not_found', 'Service s1 not found'),
      'GET /v1/services/s1/deployments': apiError(404, 'not_found', 'Service s1 not found'),
    });
    expect((await screen.findByTestId('api-error')).textContent).toContain('Service s1 not found');
  });
});
