import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { apiError, fakeFetch, ok, page } from '../test/fakeApi';
import { deployment, member } from '../test/fixtures';
import { renderWithApi, testApi } from '../test/render';
import { DeploymentsTab } from './DeploymentsTab';

const newest = deployment({ id: '9b1e4c7a-1111-4000-8000-000000000002', service_id: 's1' });
const earlier = deployment({
  id: '3c2d1e0f-3333-4000-8000-000000000004',
  service_id: 's1',
  image_digest: 'sha256:earlier',
});
const neverBuilt = deployment({
  id: '7a6b5c4d-4444-4000-8000-000000000005',
  service_id: 's1',
  status: 'build_failed',
  image: null,
  image_digest: null,
});
const started = deployment({ id: 'f00dfeed-5555-4000-8000-000000000006', service_id: 's1' });

function renderTab(routes: Parameters<typeof fakeFetch>[0]) {
  const fake = fakeFetch({
    'GET /v1/orgs/o1/members': page([member({ user_id: newest.started_by, name: 'Ada' })]),
    ...routes,
  });
  const onDeploymentStarted = vi.fn();
  renderWithApi(
    <DeploymentsTab
      serviceId="s1"
      orgId="o1"
      deployments={[newest, earlier, neverBuilt]}
      total={3}
      onDeploymentStarted={onDeploymentStarted}
    />,
    testApi(fake.fetch),
  );
  // The actions' requests; the members list that names who started each row is not one.
  const actions = () => fake.seen.filter(({ method }) => method !== 'GET');
  return { actions, onDeploymentStarted };
}

describe('the Deployments tab actions', () => {
  it('redeploys after a confirmation, with a retry-safe key', async () => {
    const { actions, onDeploymentStarted } = renderTab({
      'POST /v1/services/s1/redeploy': ok(started),
    });
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Redeploy' }));
    const dialog = await screen.findByRole('dialog', { name: 'Redeploy this service?' });
    expect(actions()).toHaveLength(0);
    await user.click(within(dialog).getByRole('button', { name: 'Redeploy' }));

    await waitFor(() => expect(onDeploymentStarted).toHaveBeenCalledTimes(1));
    expect(actions().map((request) => `${request.method} ${request.path}`)).toEqual([
      'POST /v1/services/s1/redeploy',
    ]);
    expect(actions()[0]?.headers.get('Idempotency-Key')).toMatch(/^[0-9a-f]{32}$/);
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(screen.getByTestId('deployment-started').textContent).toContain('f00dfeed');
  });

  it('does nothing when the confirmation is cancelled', async () => {
    const { actions } = renderTab({});
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Redeploy' }));
    const dialog = await screen.findByRole('dialog');
    expect(document.activeElement).toBe(within(dialog).getByRole('button', { name: 'Cancel' }));
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(actions()).toHaveLength(0);
  });

  it('rolls back to an earlier row that has an image, naming it in the request', async () => {
    const { actions, onDeploymentStarted } = renderTab({
      'POST /v1/services/s1/rollback': ok(started),
    });
    const user = userEvent.setup();
    const rows = screen.getAllByTestId('deployment-row');
    expect(within(rows[0] as HTMLElement).queryByRole('button', { name: /Roll back/ })).toBeNull();
    expect(within(rows[2] as HTMLElement).queryByRole('button', { name: /Roll back/ })).toBeNull();

    await user.click(screen.getByRole('button', { name: 'Roll back to deployment 3c2d1e0f' }));
    const dialog = await screen.findByRole('dialog', { name: 'Roll back to deployment 3c2d1e0f?' });
    expect(dialog.textContent).toContain('sha256:earlier');
    await user.click(within(dialog).getByRole('button', { name: 'Roll back' }));

    await waitFor(() => expect(onDeploymentStarted).toHaveBeenCalledTimes(1));
    expect(JSON.parse(actions()[0]?.body ?? '')).toEqual({ deployment_id: earlier.id });
    expect(actions()[0]?.headers.get('Idempotency-Key')).toBeTruthy();
  });

  it("keeps the confirmation open with the API's error, and retries with the same key", async () => {
    let calls = 0;
    const { actions, onDeploymentStarted } = renderTab({
      'POST /v1/services/s1/rollback': () =>
        ++calls === 1
          ? apiError(409, 'conflict', 'The image of deployment 3c2d1e0f is gone from the registry')
          : ok(started),
    });
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Roll back to deployment 3c2d1e0f' }));
    const dialog = await screen.findByRole('dialog');
    await user.click(within(dialog).getByRole('button', { name: 'Roll back' }));
    expect((await within(dialog).findByTestId('api-error')).textContent).toContain(
      'The image of deployment 3c2d1e0f is gone from the registry',
    );
    expect(onDeploymentStarted).not.toHaveBeenCalled();

    await user.click(within(dialog).getByRole('button', { name: 'Roll back' }));
    await waitFor(() => expect(onDeploymentStarted).toHaveBeenCalledTimes(1));
    const keys = actions().map((request) => request.headers.get('Idempotency-Key'));
    expect(keys).toHaveLength(2);
    expect(keys[1]).toBe(keys[0]);
  });
});
