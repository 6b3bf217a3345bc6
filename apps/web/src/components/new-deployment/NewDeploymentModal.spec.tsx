import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes, useLocation } from 'react-router';
import { describe, expect, it } from 'vitest';
import { ServicesPage } from '../../pages/ServicesPage';
import { SelectionContext } from '../../selection';
import { apiError, fakeFetch, never, ok, page } from '../../test/fakeApi';
import { deployment, resourceProfile, service } from '../../test/fixtures';
import { renderWithApi, testApi } from '../../test/render';

const created = service({ id: 's9', name: 'my-api', status: 'created' });
const started = deployment({ id: 'd9', service_id: 's9', status: 'deploying', ended_at: null });
const profiles = [
  resourceProfile({ id: 'rp-small', name: 'small', cpu: '500m', memory: '1Gi' }),
  resourceProfile({
    id: 'rp-gpu',
    name: 'gpu-l4',
    cpu: '4',
    memory: '16Gi',
    gpu_count: 1,
    gpu_type: 'L4',
  }),
];

function ServiceProbe() {
  const { pathname, search } = useLocation();
  return <p data-testid="now-at">{pathname + search}</p>;
}

function renderServices(routes: Parameters<typeof fakeFetch>[0]) {
  const fake = fakeFetch({
    'GET /v1/services': page([]),
    'GET /v1/resource-profiles': page(profiles),
    ...routes,
  });
  renderWithApi(
    <SelectionContext.Provider value={{ orgId: 'o1', projectId: 'p1' }}>
      <Routes>
        <Route path="/" element={<ServicesPage />} />
        <Route path="/services/:id" element={<ServiceProbe />} />
      </Routes>
    </SelectionContext.Provider>,
    testApi(fake.fetch),
  );
  const calls = (route: string) =>
    fake.seen.filter(({ method, path }) => `${method} ${path}` === route);
  return { ...fake, calls };
}

async function openForm() {
  const user = userEvent.setup();
  await user.click(await screen.findByRole('button', { name: 'Add new deployment' }));
  // The form is a chunk of its own: the dialog says it loads until it has arrived.
  const next = await screen.findByRole('button', { name: 'Next' });
  const dialog = screen.getByRole('dialog', { name: 'Add new deployment' });
  expect(document.activeElement).toBe(next);
  expect(
    within(dialog)
      .getByRole('radio', { name: /Service/ })
      .getAttribute('aria-checked'),
  ).toBe('true');
  await user.click(next);
  const name = await within(dialog).findByRole('textbox', { name: /Name/ });
  await waitFor(() => expect(document.activeElement).toBe(name));
  return { user, dialog, name };
}

describe('Add new deployment → Service → Next', () => {
  it('creates the service, deploys the image with its settings, then opens its Deployments', async () => {
    const { calls } = renderServices({
      'POST /v1/services': ok(created),
      'POST /v1/services/s9/deploy': ok(started),
    });
    const { user, dialog, name } = await openForm();
    await user.type(name, 'my-api');
    await user.type(within(dialog).getByRole('textbox', { name: /Image/ }), 'nginx:1.27');
    await user.click(within(dialog).getByRole('radio', { name: /Public/ }));
    await user.click(within(dialog).getByRole('combobox', { name: 'Resource profile' }));
    await user.click(await screen.findByRole('option', { name: 'gpu-l4 — 4 CPU · 16Gi · 1 × L4' }));
    const instances = within(dialog).getByRole('textbox', { name: 'Instances' });
    await user.clear(instances);
    await user.type(instances, '2');

    await user.click(within(dialog).getByRole('button', { name: 'Add variable' }));
    expect(document.activeElement).toBe(within(dialog).getByLabelText('Variable 1 name'));
    await user.keyboard('LOG_LEVEL');
    await user.type(within(dialog).getByLabelText('Variable 1 value'), 'info');
    await user.click(within(dialog).getByRole('button', { name: 'Add variable' }));
    await user.keyboard('API_KEY');
    await user.click(within(dialog).getByRole('switch', { name: 'Variable 2 is a secret' }));
    const secret = within(dialog).getByLabelText('Variable 2 value');
    expect(secret.getAttribute('type')).toBe('password');
    await user.type(secret, 's3cret');
    await user.click(within(dialog).getByRole('button', { name: 'Create and deploy' }));

    expect((await screen.findByTestId('now-at')).textContent).toBe('/services/s9?tab=deployments');
    const [create] = calls('POST /v1/services');
    expect(JSON.parse(create?.body ?? '')).toEqual({
      name: 'my-api',
      project_id: 'p1',
      access_control: { access_type: 'public' },
    });
    expect(create?.headers.get('Idempotency-Key')).toMatch(/^[0-9a-f]{32}$/);
    const [deploy] = calls('POST /v1/services/s9/deploy');
    expect(JSON.parse(deploy?.body ?? '')).toEqual({
      image: 'nginx:1.27',
      replicas: 2,
      resource_profile_id: 'rp-gpu',
      env: [
        { name: 'LOG_LEVEL', value: 'info', secret: false },
        { name: 'API_KEY', value: 's3cret', secret: true },
      ],
    });
  }, 90_000); // Types some forty keystrokes: on a busy CI machine that outlasts the 30 s default.

  it('names each problem beside its field, focuses the first, and sends nothing', async () => {
    const { calls } = renderServices({});
    const { user, dialog, name } = await openForm();
    await user.type(name, 'My_Api');
    await user.click(within(dialog).getByRole('button', { name: 'Add variable' }));
    await user.keyboard('1BAD');
    await user.click(within(dialog).getByRole('button', { name: 'Create and deploy' }));

    expect(
      within(dialog).getByText(
        'Lowercase letters, digits and dashes, starting with a letter and not ending with a dash',
      ),
    ).toBeTruthy();
    expect(within(dialog).getByText(/^Enter an image/)).toBeTruthy();
    expect(
      within(dialog).getByText('Letters, digits and _, not starting with a digit'),
    ).toBeTruthy();
    await waitFor(() => expect(document.activeElement).toBe(name));
    expect(name.getAttribute('aria-invalid')).toBe('true');

    await user.clear(name);
    await user.type(name, 'my-api');
    expect(name.getAttribute('aria-invalid')).not.toBe('true');
    expect(calls('POST /v1/services')).toHaveLength(0);
  });

  it("shows the API's error when the service cannot be created", async () => {
    renderServices({
      'POST /v1/services': apiError(
        409,
        'conflict',
        'A service named my-api exists in the project',
      ),
    });
    const { user, dialog, name } = await openForm();
    await user.type(name, 'my-api');
    await user.type(within(dialog).getByRole('textbox', { name: /Image/ }), 'nginx:1.27');
    await user.click(within(dialog).getByRole('button', { name: 'Create and deploy' }));
    const alert = await within(dialog).findByTestId('api-error');
    expect(alert.textContent).toContain('The service could not be created');
    expect(alert.textContent).toContain('A service named my-api exists in the project');
    expect(screen.queryByTestId('now-at')).toBeNull();
  });

  it('after a failed deploy, deploys again to the service it already created', async () => {
    let deploys = 0;
    const { calls } = renderServices({
      'POST /v1/services': ok(created),
      'POST /v1/services/s9/deploy': () =>
        ++deploys === 1
          ? apiError(400, 'validation_failed', 'image: must be an image reference')
          : ok(started),
    });
    const { user, dialog, name } = await openForm();
    await user.type(name, 'my-api');
    const image = within(dialog).getByRole('textbox', { name: /Image/ });
    await user.type(image, 'nginx:');
    await user.click(within(dialog).getByRole('button', { name: 'Create and deploy' }));
    const alert = await within(dialog).findByTestId('api-error');
    expect(alert.textContent).toContain('my-api was created, but the image could not be deployed');
    expect(alert.textContent).toContain('image: must be an image reference');
    expect(name.hasAttribute('disabled')).toBe(true);

    await user.type(image, '1.27');
    await user.click(within(dialog).getByRole('button', { name: 'Deploy' }));
    expect((await screen.findByTestId('now-at')).textContent).toBe('/services/s9?tab=deployments');
    expect(calls('POST /v1/services')).toHaveLength(1);
    const retry = JSON.parse(calls('POST /v1/services/s9/deploy')[1]?.body ?? '') as {
      image: string;
    };
    expect(retry.image).toBe('nginx:1.27');
  });

  it('keeps the profile field in place, disabled, while the profiles load', async () => {
    renderServices({ 'GET /v1/resource-profiles': never });
    const { dialog } = await openForm();
    const select = within(dialog).getByRole('combobox', { name: 'Resource profile' });
    expect(select.hasAttribute('disabled')).toBe(true);
    expect(select.getAttribute('placeholder')).toBe('Loading the profiles…');
  });

  it("says why the resource profiles could not be loaded; the platform's default applies", async () => {
    renderServices({
      'GET /v1/resource-profiles': apiError(503, 'unavailable', 'The database is unreachable'),
    });
    const { dialog } = await openForm();
    const alert = await within(dialog).findByTestId('api-error');
    expect(alert.textContent).toContain('The resource profiles could not be loaded');
    expect(alert.textContent).toContain('The database is unreachable');
    const select = within(dialog).getByRole('combobox', { name: 'Resource profile' });
    expect(select.hasAttribute('disabled')).toBe(false);
    expect(select.getAttribute('placeholder')).toBe('The platform default');
  });

  it('keeps what was typed when going back a step, and closes with Escape', async () => {
    renderServices({});
    const { user, dialog, name } = await openForm();
    await user.type(name, 'my-api');
    await user.click(within(dialog).getByRole('button', { name: 'Back' }));
    const next = within(dialog).getByRole('button', { name: 'Next' });
    expect(document.activeElement).toBe(next);
    await user.click(next);
    expect(
      (await within(dialog).findByRole('textbox', { name: /Name/ })).getAttribute('value'),
    ).toBe('my-api');
    await user.keyboard('{Escape}');
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
  });

  it('reads the list again when closed after creating a service whose deploy failed', async () => {
    const { calls } = renderServices({
      'POST /v1/services': ok(created),
      'POST /v1/services/s9/deploy': apiError(400, 'validation_failed', 'image: bad reference'),
    });
    const { user, dialog, name } = await openForm();
    await user.type(name, 'my-api');
    await user.type(within(dialog).getByRole('textbox', { name: /Image/ }), 'nginx:');
    await user.click(within(dialog).getByRole('button', { name: 'Create and deploy' }));
    await within(dialog).findByTestId('api-error');
    expect(calls('GET /v1/services')).toHaveLength(1);
    await user.click(within(dialog).getByRole('button', { name: 'Close' }));
    await waitFor(() => expect(calls('GET /v1/services')).toHaveLength(2));
  });
});
