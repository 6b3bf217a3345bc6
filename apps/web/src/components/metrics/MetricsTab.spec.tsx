import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { apiError, fakeFetch, json, never, type Seen } from '../../test/fakeApi';
import { metricSeries } from '../../test/fixtures';
import { renderWithApi, testApi } from '../../test/render';
import { MetricsTab } from './MetricsTab';

const allSeries = [
  metricSeries('request_rate', [1.5, 4, 2.25]),
  metricSeries('error_rate', [0, 0.5, 0]),
  metricSeries('latency_p95', [12, 48.5, 20]),
  metricSeries('cpu_usage', [0.05, 0.5, 0.125]),
  metricSeries('memory_usage', [256 * 1024 * 1024]),
];

function renderTab(reply: Parameters<typeof fakeFetch>[0][string]) {
  const fake = fakeFetch({ 'GET /v1/services/s1/metrics': reply });
  renderWithApi(<MetricsTab serviceId="s1" />, testApi(fake.fetch));
  return fake;
}

const summaryOf = (name: string) =>
  within(screen.getByTestId(`metric-${name}`)).getByTestId('metric-summary').textContent;

const lastQuery = (seen: Seen[]) => seen.at(-1)?.query;

describe('the Metrics tab', () => {
  beforeEach(() => {
    // jsdom lays nothing out; the charts measure their box and draw nothing in a 0×0 one.
    vi.spyOn(HTMLElement.prototype, 'clientWidth', 'get').mockReturnValue(600);
    vi.spyOn(HTMLElement.prototype, 'clientHeight', 'get').mockReturnValue(200);
  });

  it('asks for the five series over the last hour and sums each one up, a single reading as now', async () => {
    const { seen } = renderTab(json(200, { data: allSeries }));
    expect(await screen.findByRole('heading', { name: 'Request rate' })).toBeTruthy();
    expect(summaryOf('request_rate')).toBe('Latest 2.25 req/s · peak 4 req/s');
    expect(summaryOf('error_rate')).toBe('Latest 0 req/s · peak 0.5 req/s');
    expect(summaryOf('latency_p95')).toBe('Latest 20 ms · peak 48.5 ms');
    expect(summaryOf('cpu_usage')).toBe('Latest 0.125 cores · peak 0.5 cores');
    expect(summaryOf('memory_usage')).toBe('Now 256.0 MiB');
    const requests = screen.getByTestId('metric-request_rate');
    await waitFor(() => expect(requests.querySelector('.recharts-line-curve')).not.toBeNull());
    // CPU and memory have a history (the API's samples) like the request series.
    const cpu = screen.getByTestId('metric-cpu_usage');
    await waitFor(() => expect(cpu.querySelector('.recharts-line-curve')).not.toBeNull());
    expect(lastQuery(seen)?.get('since')).toBe('3600');
    expect(lastQuery(seen)?.get('names')).toBe(
      'request_rate,error_rate,latency_p95,cpu_usage,memory_usage',
    );
  });

  it('reads the chosen window', async () => {
    const { seen } = renderTab(json(200, { data: allSeries }));
    const user = userEvent.setup();
    await screen.findByRole('heading', { name: 'Request rate' });
    await user.click(screen.getByRole('combobox', { name: 'Window' }));
    await user.click(await screen.findByRole('option', { name: 'Last 24 hours' }));
    await waitFor(() => expect(lastQuery(seen)?.get('since')).toBe('86400'));
  });

  it('says why one series could not be read, and shows the others', async () => {
    const cpuDown = {
      name: 'cpu_usage',
      status: 'error',
      error: 'metrics API not available on the kubernetes runtime',
      points: [],
    };
    renderTab(json(200, { data: [allSeries[0], cpuDown] }));
    const cpu = await screen.findByTestId('metric-cpu_usage');
    expect(within(cpu).getByText('CPU could not be read')).toBeTruthy();
    expect(cpu.textContent).toContain('metrics API not available on the kubernetes runtime');
    expect(summaryOf('request_rate')).toBe('Latest 2.25 req/s · peak 4 req/s');
  });

  it('says what to do when a window has no traffic', async () => {
    renderTab(json(200, { data: [metricSeries('request_rate', [])] }));
    const card = await screen.findByTestId('metric-request_rate');
    expect(card.textContent).toContain('No requests in this window: call the service');
  });

  it("shows the API's error", async () => {
    renderTab(apiError(403, 'feature_disabled', 'Services are disabled on this installation'));
    expect((await screen.findByTestId('api-error')).textContent).toContain(
      'Services are disabled on this installation',
    );
  });

  it('holds the place of the charts while they load', () => {
    renderTab(never);
    expect(screen.getByLabelText('Loading the metrics').getAttribute('aria-busy')).toBe('true');
  });
});
