import { EdgeMetrics } from './metrics';

describe('EdgeMetrics', () => {
  const count = (text: string, service: string): string | undefined =>
    text
      .split('\n')
      .find((line) =>
        line.startsWith(
          `slipway_edge_requests_total{service="${service}",method="GET",status="200"}`,
        ),
      )
      ?.split(' ')[1];

  it('reports every request at each scrape, counts held between scrapes included', async () => {
    const metrics = new EdgeMetrics();
    for (let i = 0; i < 3; i += 1) metrics.observeRequest('svc-a', 'GET', 200, 0.002);
    metrics.observeRequest('svc-b', 'GET', 200, 0.002);
    let text = await metrics.registry.metrics();
    expect(count(text, 'svc-a')).toBe('3');
    expect(count(text, 'svc-b')).toBe('1');
    expect(text).toContain('slipway_edge_request_duration_seconds_count{service="svc-a"} 3');

    metrics.observeRequest('svc-a', 'GET', 200, 0.002);
    metrics.observeRequest('svc-a', 'GET', 200, 0.002);
    text = await metrics.registry.metrics();
    expect(count(text, 'svc-a')).toBe('5');
    expect(count(text, 'svc-b')).toBe('1');
  });
});
