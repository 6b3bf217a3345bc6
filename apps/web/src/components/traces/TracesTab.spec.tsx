import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { apiError, fakeFetch, json, never, ok, type Seen } from '../../test/fakeApi';
import { trace, traceSummary } from '../../test/fixtures';
import { renderWithApi, testApi } from '../../test/render';
import { TracesTab } from './TracesTab';

const traces = [
  traceSummary({ trace_id: 't1', error: true }),
  traceSummary({ trace_id: 't2', root_span_name: 'GET /health', duration_ms: 1.5 }),
];

const tracePage = (data: unknown[], nextCursor: string | null = null) =>
  json(200, { data, pagination: { next_cursor: nextCursor } });

function renderTab(routes: Parameters<typeof fakeFetch>[0]) {
  const fake = fakeFetch(routes);
  renderWithApi(<TracesTab serviceId="s1" />, testApi(fake.fetch));
  return fake;
}

const listQueries = (seen: Seen[]) =>
  seen.filter((request) => request.path === '/v1/services/s1/traces').map((r) => r.query);

describe('the Traces tab', () => {
  it('lists the traces of the last hour with duration, span count and status', async () => {
    const { seen } = renderTab({ 'GET /v1/services/s1/traces': tracePage(traces) });
    const rows = await screen.findAllByTestId('trace-row');
    expect(rows).toHaveLength(2);
    expect(within(rows[0] as HTMLElement).getByText('error')).toBeTruthy();
    expect(within(rows[1] as HTMLElement).getByText('1.5 ms')).toBeTruthy();
    expect(listQueries(seen)[0]?.get('since')).toBe('3600');
    expect(screen.queryByRole('button', { name: 'Load older traces' })).toBeNull();
  });

  it('sends the filters as the API names them', async () => {
    const { seen } = renderTab({ 'GET /v1/services/s1/traces': tracePage(traces) });
    const user = userEvent.setup();
    await screen.findAllByTestId('trace-row');
    await user.click(screen.getByRole('switch', { name: 'Failed only' }));
    await waitFor(() => expect(listQueries(seen).at(-1)?.get('status')).toBe('error'));
    await user.type(screen.getByRole('textbox', { name: 'Span name contains' }), 'orders');
    await waitFor(() => expect(listQueries(seen).at(-1)?.get('name_contains')).toBe('orders'));
    await user.type(screen.getByRole('textbox', { name: 'Min duration (ms)' }), '250');
    await waitFor(() => expect(listQueries(seen).at(-1)?.get('min_duration_ms')).toBe('250'));
  });

  it('loads older traces with the cursor the previous page gave', async () => {
    const { seen } = renderTab({
      'GET /v1/services/s1/traces': ({ query }) =>
        query.get('cursor') === 'c2'
          ? tracePage([traceSummary({ trace_id: 't3', root_span_name: 'GET /old' })])
          : tracePage(traces, 'c2'),
    });
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Load older traces' }));
    await waitFor(() => expect(screen.getAllByTestId('trace-row')).toHaveLength(3));
    expect(screen.getByText('GET /old')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Load older traces' })).toBeNull();
    expect(listQueries(seen).at(-1)?.get('since')).toBe('3600');
  });

  it('opens a trace as a waterfall of its spans, offset by their start', async () => {
    renderTab({
      'GET /v1/services/s1/traces': tracePage(traces),
      'GET /v1/services/s1/traces/t1': ok(trace('t1')),
    });
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Open trace GET /orders (t1)' }));
    const panel = await screen.findByTestId('trace-panel');
    await within(panel).findByTestId('trace-waterfall');
    expect(within(panel).getAllByTestId('span-row')).toHaveLength(3);
    const bars = within(panel).getAllByTestId('span-bar');
    expect(bars[1]?.getAttribute('aria-label')).toBe('SELECT orders: starts at +5 ms, lasts 20 ms');
    expect(bars[2]?.getAttribute('aria-label')).toBe(
      'POST /stock: starts at +30.5 ms, lasts 9.5 ms, failed',
    );
    expect((bars[1] as HTMLElement).style.left).toMatch(/^10\.6/);

    await user.click(within(panel).getByRole('button', { name: 'POST /stock' }));
    expect(within(panel).getByTestId('span-details').textContent).toContain(
      'status error: connection refused',
    );
    await user.click(within(panel).getByRole('button', { name: 'Close the trace' }));
    expect(screen.queryByTestId('trace-panel')).toBeNull();
  });

  it("shows the API's error for a trace that cannot be loaded", async () => {
    renderTab({
      'GET /v1/services/s1/traces': tracePage(traces),
      'GET /v1/services/s1/traces/t2': apiError(404, 'not_found', 'Trace t2 not found'),
    });
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Open trace GET /health (t2)' }));
    expect((await screen.findByTestId('api-error')).textContent).toContain('Trace t2 not found');
  });

  it('says how to report traces when there are none', async () => {
    renderTab({ 'GET /v1/services/s1/traces': tracePage([]) });
    const empty = await screen.findByTestId('traces-empty');
    expect(within(empty).getByText('No traces in this window')).toBeTruthy();
    expect(empty.textContent).toContain('OTEL_EXPORTER_OTLP_ENDPOINT');
  });

  it("shows the API's error for the list", async () => {
    renderTab({
      'GET /v1/services/s1/traces': apiError(400, 'validation_failed', 'cursor: not a cursor'),
    });
    expect((await screen.findByTestId('api-error')).textContent).toContain('cursor: not a cursor');
  });

  it('shows skeleton rows while the traces load', () => {
    renderTab({ 'GET /v1/services/s1/traces': never });
    expect(screen.getByRole('status', { name: 'Loading the traces' })).toBeTruthy();
  });
});
