import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { apiError, fakeFetch, never, page, type Seen } from '../../test/fakeApi';
import { accessLog } from '../../test/fixtures';
import { renderWithApi, testApi } from '../../test/render';
import { AccessLogsTab } from './AccessLogsTab';

const hostname = 'hello-1a2b3c4d.apps.example.com';
const rows = [
  accessLog({
    request_id: 'aaaa1111-0000-4000-8000-000000000001',
    status: 503,
    method: 'POST',
    path: '/orders',
  }),
  accessLog({ request_id: 'bbbb2222-0000-4000-8000-000000000002' }),
];

function renderTab(reply: Parameters<typeof fakeFetch>[0][string]) {
  const fake = fakeFetch({ 'GET /v1/services/s1/access-logs': reply });
  renderWithApi(<AccessLogsTab serviceId="s1" hostname={hostname} />, testApi(fake.fetch));
  return fake;
}

const lastQuery = (seen: Seen[]) => seen.at(-1)?.query;

describe('the Access logs tab', () => {
  it('shows the newest requests of the last hour with method, path, status and sizes', async () => {
    const { seen } = renderTab(page(rows));
    const found = await screen.findAllByTestId('access-log-row');
    expect(found).toHaveLength(2);
    const first = found[0] as HTMLElement;
    expect(within(first).getByText('POST')).toBeTruthy();
    expect(within(first).getByText('/orders')).toBeTruthy();
    expect(within(first).getByTestId('access-log-status').textContent).toBe('503');
    expect(within(first).getByText('12.5 ms')).toBeTruthy();
    expect(within(first).getByText('1.5 KiB')).toBeTruthy();
    expect(within(first).getByText('aaaa1111')).toBeTruthy();
    expect(lastQuery(seen)?.get('since')).toBe('3600');
    expect(lastQuery(seen)?.get('limit')).toBe('200');
    expect(lastQuery(seen)?.has('status')).toBe(false);
  });

  it('sends the status, method and path filters as the API names them', async () => {
    const { seen } = renderTab(page(rows));
    const user = userEvent.setup();
    await screen.findAllByTestId('access-log-row');

    await user.type(screen.getByRole('textbox', { name: 'Status' }), '404, 503');
    await waitFor(() => expect(lastQuery(seen)?.get('status')).toBe('404,503'));

    await user.type(screen.getByRole('textbox', { name: 'Path contains' }), '/orders');
    await waitFor(() => expect(lastQuery(seen)?.get('path_contains')).toBe('/orders'));

    await user.click(screen.getByRole('combobox', { name: 'Method' }));
    await user.click(await screen.findByRole('option', { name: 'POST' }));
    await waitFor(() => expect(lastQuery(seen)?.get('method')).toBe('POST'));
    expect(lastQuery(seen)?.get('status')).toBe('404,503');
  });

  it('says what is wrong with a status filter and does not send it', async () => {
    const { seen } = renderTab(page(rows));
    const user = userEvent.setup();
    await screen.findAllByTestId('access-log-row');
    await user.type(screen.getByRole('textbox', { name: 'Status' }), 'teapot');
    expect(
      await screen.findByText('"teapot" is not a status code (404) or class (5xx)'),
    ).toBeTruthy();
    expect(seen.every((request) => !request.query.has('status'))).toBe(true);
  });

  it('says how to make requests when the window has none', async () => {
    renderTab(page([]));
    const empty = await screen.findByTestId('access-logs-empty');
    expect(within(empty).getByText('No requests in this window')).toBeTruthy();
    expect(empty.textContent).toContain(`https://${hostname}/`);
  });

  it('offers to clear the filters when nothing matches them', async () => {
    const { seen } = renderTab(({ query }) => page(query.has('path_contains') ? [] : rows));
    const user = userEvent.setup();
    await screen.findAllByTestId('access-log-row');
    await user.type(screen.getByRole('textbox', { name: 'Path contains' }), '/nothing');
    expect(await screen.findByText('No request matches these filters')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Clear the filters' }));
    expect(await screen.findAllByTestId('access-log-row')).toHaveLength(2);
    expect(screen.getByRole<HTMLInputElement>('textbox', { name: 'Path contains' }).value).toBe('');
    expect(lastQuery(seen)?.has('path_contains')).toBe(false);
  });

  it("shows the API's error", async () => {
    renderTab(apiError(400, 'validation_failed', 'since: must not be greater than 2592000'));
    expect((await screen.findByTestId('api-error')).textContent).toContain(
      'since: must not be greater than 2592000',
    );
  });

  it('shows skeleton rows while the first answer loads', () => {
    renderTab(never);
    expect(screen.getByRole('status', { name: 'Loading the access log' })).toBeTruthy();
  });
});
