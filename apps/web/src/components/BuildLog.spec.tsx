import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { describe, expect, it, vi } from 'vitest';
import type { DeploymentView } from '../api/types';
import { apiError, fakeFetch, textStream } from '../test/fakeApi';
import { deployment } from '../test/fixtures';
import { renderWithApi, testApi } from '../test/render';
import { DeploymentsTab } from './DeploymentsTab';

const source = { type: 'archive' as const, sha256: 'abc', size_bytes: 2048, docker: {} };
const building = deployment({
  id: 'b0ddba11-6666-4000-8000-000000000007',
  service_id: 's1',
  status: 'building',
  ended_at: null,
  image: null,
  image_digest: null,
  source,
});
const earlier = deployment({ id: '3c2d1e0f-3333-4000-8000-000000000004', service_id: 's1' });
const logPath = (id: string) => `GET /v1/services/s1/deployments/${id}/build-logs`;

/** The tab as the page shows it, with the rows it would read again on its next poll. */
function renderTab(routes: Parameters<typeof fakeFetch>[0], initial: DeploymentView[]) {
  const fake = fakeFetch(routes);
  let setRows: (rows: DeploymentView[]) => void = () => undefined;
  function Page() {
    const [rows, set] = useState(initial);
    setRows = set;
    return (
      <DeploymentsTab
        serviceId="s1"
        orgId="o1"
        deployments={rows}
        total={rows.length}
        onDeploymentStarted={vi.fn()}
      />
    );
  }
  renderWithApi(<Page />, testApi(fake.fetch));
  return {
    // The build logs asked for (the table also reads the members that name who started a row).
    logRequests: () => fake.seen.filter(({ path }) => path.endsWith('/build-logs')),
    rerenderWith: (rows: DeploymentView[]) => act(() => setRows(rows)),
  };
}

describe('the build log on the Deployments tab', () => {
  it('opens by itself for a building deployment, follows it, and stays open once it ends', async () => {
    const log = textStream();
    const { logRequests, rerenderWith } = renderTab(
      { [logPath(building.id)]: () => log.response() },
      [building, earlier],
    );
    const viewer = await screen.findByRole('log', { name: 'Build log of deployment b0ddba11' });
    const toggle = screen.getByRole('button', {
      name: 'Hide the build log of deployment b0ddba11',
    });
    expect(toggle.getAttribute('aria-expanded')).toBe('true');

    log.write('==> building\nStep 1/4 : FROM python:3.12\n');
    await waitFor(() =>
      expect(viewer.textContent).toBe('==> building\nStep 1/4 : FROM python:3.12'),
    );
    expect(screen.getByTestId('build-log-phase').textContent).toContain('Following');
    expect(logRequests()[0]?.query.get('follow')).toBe('true');

    log.write('Successfully built\n');
    log.end();
    rerenderWith([{ ...building, status: 'deploying' }, earlier]);
    await waitFor(() =>
      expect(screen.getByTestId('build-log-phase').textContent).toBe('The build log is complete.'),
    );
    expect(viewer.textContent).toContain('Successfully built');
    expect(screen.getByRole('log', { name: 'Build log of deployment b0ddba11' })).toBe(viewer);
  });

  it('shows an earlier row’s log on request and stops reading it when collapsed', async () => {
    const log = textStream();
    const { logRequests } = renderTab({ [logPath(earlier.id)]: () => log.response() }, [earlier]);
    expect(screen.queryByRole('log')).toBeNull();
    const user = userEvent.setup();
    await user.click(
      screen.getByRole('button', { name: 'Show the build log of deployment 3c2d1e0f' }),
    );
    log.write('==> this deployment deploys an image; it has no build log\n');
    log.end();
    const viewer = await screen.findByRole('log', { name: 'Build log of deployment 3c2d1e0f' });
    await waitFor(() => expect(viewer.textContent).toContain('it has no build log'));

    await user.click(
      screen.getByRole('button', { name: 'Hide the build log of deployment 3c2d1e0f' }),
    );
    expect(screen.queryByRole('log')).toBeNull();
    expect(logRequests()[0]?.signal.aborted).toBe(true);
  });

  it("shows the API's error and reconnects on request", async () => {
    let attempts = 0;
    const log = textStream();
    renderTab(
      {
        [logPath(building.id)]: () =>
          ++attempts === 1
            ? apiError(404, 'not_found', 'Deployment b0ddba11 not found')
            : log.response(),
      },
      [building],
    );
    const alert = await screen.findByTestId('api-error');
    expect(alert.textContent).toContain('Deployment b0ddba11 not found');
    expect(screen.getByTestId('build-log-phase').textContent).toBe(
      'The build log could not be read.',
    );
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Reconnect' }));
    log.write('Step 2/4 : COPY . .\n');
    const viewer = screen.getByRole('log');
    await waitFor(() => expect(within(viewer).getByText('Step 2/4 : COPY . .')).toBeTruthy());
    expect(screen.queryByTestId('api-error')).toBeNull();
  });
});
