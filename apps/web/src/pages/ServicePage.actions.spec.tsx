import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes } from 'react-router';
import { describe, expect, it } from 'vitest';
import type { ServiceView } from '../api/types';
import { SelectionContext } from '../selection';
import { apiError, fakeFetch, ok, page } from '../test/fakeApi';
import { deployment, operation, service, serviceStatus } from '../test/fixtures';
import { renderWithApi, testApi } from '../test/render';
import { ServicePage } from './ServicePage';
import { ServicesPage } from './ServicesPage';

const live = deployment({ id: '9b1e4c7a-1111-4000-8000-000000000002', service_id: 's1' });

function renderPage(routes: Parameters<typeof fakeFetch>[0], shown?: () => ServiceView) {
  const fake = fakeFetch({
    'GET /v1/services/s1': () => ok(shown ? shown() : service({ id: 's1', name: 'hello' })),
    'GET /v1/services/s1/deployments': page([{ ...live, replicas: 2 }]),
    'GET /v1/services': page([]),
    ...routes,
  });
  renderWithApi(
    <SelectionContext.Provider value={{ orgId: 'o1', projectId: 'p1' }}>
      <Routes>
        <Route path="/" element={<ServicesPage />} />
        <Route path="/services/:id" element={<ServicePage />} />
      </Routes>
    </SelectionContext.Provider>,
    testApi(fake.fetch),
    '/services/s1',
  );
  const calls = (route: string) =>
    fake.seen.filter(({ method, path }) => `${method} ${path}` === route);
  return { ...fake, calls };
}

async function openAction(name: string) {
  const user = userEvent.setup();
  await user.click(await screen.findByRole('button', { name: 'Actions' }));
  await user.click(await screen.findByRole('menuitem', { name }));
  return { user, dialog: await screen.findByRole('dialog') };
}

describe('the service actions', () => {
  it('scales after a confirmation, then follows the operation until it ends', async () => {
    const started = operation({ id: 'op1', kind: 'scale', instances: 3 });
    let status = serviceStatus({ desired: 3, ready: 2, total: 3, operation: started });
    const { calls } = renderPage({
      'POST /v1/services/s1/scale': ok(started),
      'GET /v1/services/s1/status': () => ok(status),
    });
    const { user, dialog } = await openAction('Scale…');
    const count = within(dialog).getByRole('textbox', { name: 'Instances' });
    expect(document.activeElement).toBe(count);
    expect((count as HTMLInputElement).value).toBe('2');

    await user.clear(count);
    await user.type(count, '101');
    expect(within(dialog).getByText('At most 100')).toBeTruthy();
    expect(within(dialog).getByTestId('confirm-action').hasAttribute('disabled')).toBe(true);
    await user.clear(count);
    expect(within(dialog).getByText('Enter a number of instances')).toBeTruthy();
    await user.type(count, '3');
    await user.click(within(dialog).getByRole('button', { name: 'Scale' }));

    const progress = await screen.findByTestId('operation-progress');
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(progress.textContent).toContain('Scaling to 3 instances…');
    expect(await within(progress).findByText('2 of 3 ready, 3 in all')).toBeTruthy();
    const [scale] = calls('POST /v1/services/s1/scale');
    expect(JSON.parse(scale?.body ?? '')).toEqual({ instances: 3 });
    expect(scale?.headers.get('Idempotency-Key')).toMatch(/^[0-9a-f]{32}$/);

    await user.click(screen.getByRole('button', { name: 'Actions' }));
    const scaleItem = await screen.findByRole('menuitem', { name: 'Scale…' });
    expect(scaleItem.hasAttribute('disabled')).toBe(true);
    await user.keyboard('{Escape}');

    const readsBefore = calls('GET /v1/services/s1').length;
    status = serviceStatus({
      desired: 3,
      ready: 3,
      operation: { ...started, status: 'succeeded' },
    });
    await waitFor(() => expect(progress.textContent).toContain('Scaled to 3 instances.'), {
      timeout: 10_000,
    });
    await waitFor(() => expect(calls('GET /v1/services/s1').length).toBe(readsBefore + 1));
    await user.click(within(progress).getByRole('button', { name: 'Dismiss' }));
    expect(screen.queryByTestId('operation-progress')).toBeNull();
  });

  it("says why an operation failed, in the API's words", async () => {
    const started = operation({ id: 'op2', kind: 'restart', instances: 2 });
    renderPage({
      'POST /v1/services/s1/restart': ok(started),
      'GET /v1/services/s1/status': ok(
        serviceStatus({
          operation: { ...started, status: 'failed', failure_reason: 'instance 2 never ready' },
        }),
      ),
    });
    const { user, dialog } = await openAction('Restart…');
    expect(document.activeElement).toBe(within(dialog).getByRole('button', { name: 'Cancel' }));
    await user.click(within(dialog).getByRole('button', { name: 'Restart' }));
    const progress = await screen.findByTestId('operation-progress');
    await waitFor(() => expect(progress.textContent).toContain('The restart failed.'));
    expect(progress.textContent).toContain('instance 2 never ready');
  });

  it("keeps the confirmation open with the API's error when an action is refused", async () => {
    renderPage({
      'POST /v1/services/s1/restart': apiError(409, 'conflict', 'A deployment is in progress'),
    });
    const { user, dialog } = await openAction('Restart…');
    await user.click(within(dialog).getByRole('button', { name: 'Restart' }));
    expect((await within(dialog).findByTestId('api-error')).textContent).toContain(
      'A deployment is in progress',
    );
    expect(screen.queryByTestId('operation-progress')).toBeNull();
  });

  it('changes the access type, then shows the service as it now is', async () => {
    let accessType: 'private' | 'public' = 'private';
    const { calls } = renderPage(
      {
        'PUT /v1/services/s1': () => {
          accessType = 'public';
          return ok(
            service({ id: 's1', name: 'hello', access_control: { access_type: 'public' } }),
          );
        },
      },
      () => service({ id: 's1', name: 'hello', access_control: { access_type: accessType } }),
    );
    const { user, dialog } = await openAction('Make public…');
    expect(dialog.textContent).toContain('no longer need an Access Key');
    await user.click(within(dialog).getByRole('button', { name: 'Make public' }));
    await waitFor(() =>
      expect(screen.getByTestId('service-access-type').textContent).toBe('public'),
    );
    expect(JSON.parse(calls('PUT /v1/services/s1')[0]?.body ?? '')).toEqual({
      access_control: { access_type: 'public' },
    });
    await user.click(screen.getByRole('button', { name: 'Actions' }));
    expect(await screen.findByRole('menuitem', { name: 'Make private…' })).toBeTruthy();
  });

  it('deletes only once the name is typed, then returns to the services list', async () => {
    const { calls } = renderPage({
      'DELETE /v1/services/s1': ok(service({ id: 's1', name: 'hello' })),
    });
    const { user, dialog } = await openAction('Delete…');
    const confirmName = within(dialog).getByLabelText('Type hello to confirm');
    expect(document.activeElement).toBe(confirmName);
    const del = within(dialog).getByRole('button', { name: 'Delete' });
    await user.type(confirmName, 'hell');
    expect(del.hasAttribute('disabled')).toBe(true);
    await user.type(confirmName, 'o');
    expect(del.hasAttribute('disabled')).toBe(false);
    await user.click(within(dialog).getByRole('checkbox', { name: /Stop the instances at once/ }));
    await user.click(del);

    expect((await screen.findByTestId('service-deleted')).textContent).toContain(
      'hello was deleted.',
    );
    expect(screen.getByRole('heading', { name: 'Services' })).toBeTruthy();
    expect(calls('DELETE /v1/services/s1')[0]?.query.get('force')).toBe('true');
  });

  it("stays on the service with the API's error when the delete fails", async () => {
    renderPage({
      'DELETE /v1/services/s1': apiError(403, 'forbidden', 'Only owners can delete services'),
    });
    const { user, dialog } = await openAction('Delete…');
    await user.type(within(dialog).getByLabelText('Type hello to confirm'), 'hello');
    await user.click(within(dialog).getByRole('button', { name: 'Delete' }));
    expect((await within(dialog).findByTestId('api-error')).textContent).toContain(
      'Only owners can delete services',
    );
    expect(screen.getByTestId('service-header')).toBeTruthy();
  });
});
