import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { apiError, fakeFetch, never, page, textStream } from '../../test/fakeApi';
import { pod } from '../../test/fixtures';
import { renderWithApi, testApi } from '../../test/render';
import { PodsTab } from './PodsTab';

const web0 = 'slp-hello-1a2b3c4d-5e6f7a8b-0';
const web1 = 'slp-hello-1a2b3c4d-5e6f7a8b-1';
const pods = [
  pod({ name: web0 }),
  pod({ name: web1, status: 'restarting', ready: false, restarts: 3, message: 'exit code 1' }),
];

function renderTab(routes: Parameters<typeof fakeFetch>[0]) {
  const fake = fakeFetch(routes);
  const view = renderWithApi(<PodsTab serviceId="s1" />, testApi(fake.fetch));
  return { ...fake, ...view };
}

describe('the Pods tab', () => {
  it('lists every instance with its status, readiness, restarts and message', async () => {
    renderTab({ 'GET /v1/services/s1/pods': page(pods) });
    const rows = await screen.findAllByTestId('pod-row');
    expect(rows).toHaveLength(2);
    const [first, second] = rows as [HTMLElement, HTMLElement];
    expect(within(first).getByText(web0)).toBeTruthy();
    expect(within(first).getByTestId('pod-status').textContent).toBe('running');
    expect(within(second).getByTestId('pod-status').textContent).toBe('restarting');
    expect(within(second).getByText('exit code 1')).toBeTruthy();
    expect(within(second).getByText('3')).toBeTruthy();
    expect(within(second).getByText('no')).toBeTruthy();
  });

  it('streams the log of an expanded instance, then follows it, and cancels on collapse', async () => {
    const log = textStream();
    const { seen } = renderTab({
      'GET /v1/services/s1/pods': page(pods),
      [`GET /v1/services/s1/pods/${web0}/logs`]: () => log.response(),
    });
    const user = userEvent.setup();
    const toggle = await screen.findByRole('button', { name: `Show the log of ${web0}` });
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    await user.click(toggle);

    log.write('booting\nlistening on :8080\n');
    const viewer = await screen.findByRole('log', { name: `Log of ${web0}` });
    await waitFor(() => expect(viewer.textContent).toBe('booting\nlistening on :8080'));
    log.write('GET / 200\n');
    await waitFor(() => expect(viewer.textContent).toContain('GET / 200'));
    expect(screen.getByTestId('pod-log-phase').textContent).toContain('Following');
    expect(screen.getByTestId('pod-log-count').textContent).toBe('3 lines');

    const request = seen.find((entry) => entry.path.endsWith('/logs'));
    expect(request?.query.get('follow')).toBe('true');
    const collapse = screen.getByRole('button', { name: `Hide the log of ${web0}` });
    expect(collapse.getAttribute('aria-expanded')).toBe('true');
    await user.click(collapse);
    expect(screen.queryByRole('log')).toBeNull();
    expect(request?.signal.aborted).toBe(true);
    await waitFor(() => expect(log.cancelled).toBe(true));
  });

  it('stops following when the tab goes away', async () => {
    const log = textStream();
    const { seen, unmount } = renderTab({
      'GET /v1/services/s1/pods': page(pods),
      [`GET /v1/services/s1/pods/${web1}/logs`]: () => log.response(),
    });
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: `Show the log of ${web1}` }));
    log.write('crash\n');
    await screen.findByText('crash');
    unmount();
    expect(seen.find((entry) => entry.path.endsWith('/logs'))?.signal.aborted).toBe(true);
    await waitFor(() => expect(log.cancelled).toBe(true));
  });

  it('says when the log ended and reconnects on request', async () => {
    const { seen } = renderTab({
      'GET /v1/services/s1/pods': page(pods),
      [`GET /v1/services/s1/pods/${web0}/logs`]: () => {
        const log = textStream();
        log.write('last words\n');
        log.end();
        return log.response();
      },
    });
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: `Show the log of ${web0}` }));
    await waitFor(() =>
      expect(screen.getByTestId('pod-log-phase').textContent).toContain('The log ended'),
    );
    await user.click(screen.getByRole('button', { name: 'Reconnect' }));
    await waitFor(() =>
      expect(seen.filter((entry) => entry.path.endsWith('/logs'))).toHaveLength(2),
    );
  });

  it("shows the API's error when the log cannot be read", async () => {
    renderTab({
      'GET /v1/services/s1/pods': page(pods),
      [`GET /v1/services/s1/pods/${web0}/logs`]: apiError(
        404,
        'not_found',
        `Instance ${web0} not found`,
      ),
    });
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: `Show the log of ${web0}` }));
    expect((await screen.findByTestId('api-error')).textContent).toContain(
      `Instance ${web0} not found`,
    );
    expect(screen.getByTestId('pod-log-phase').textContent).toBe('The log could not be followed.');
  });

  it('says how to start an instance when there is none', async () => {
    renderTab({ 'GET /v1/services/s1/pods': page([]) });
    const empty = await screen.findByTestId('pods-empty');
    expect(within(empty).getByText('No instances')).toBeTruthy();
    expect(empty.textContent).toContain('slipway service scale --id s1 --instances 1');
  });

  it("shows the API's error when the instances cannot be listed", async () => {
    renderTab({
      'GET /v1/services/s1/pods': apiError(
        503,
        'service_unavailable',
        'The runtime is unreachable',
      ),
    });
    expect((await screen.findByTestId('api-error')).textContent).toContain(
      'The runtime is unreachable',
    );
  });

  it('shows skeleton rows while the instances load', () => {
    renderTab({ 'GET /v1/services/s1/pods': never });
    expect(screen.getByRole('status', { name: 'Loading the instances' })).toBeTruthy();
  });
});
