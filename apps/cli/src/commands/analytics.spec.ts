import { InvalidArgumentError } from 'commander';
import { type Schemas } from '../client';
import { UsageError } from '../errors';
import {
  analyticsQuery,
  formatAnalytics,
  formatBytes,
  formatLatency,
  sinceSeconds,
} from './analytics';

const analytics = (
  changes: Partial<Schemas['ServiceAnalyticsView']> = {},
): Schemas['ServiceAnalyticsView'] => ({
  service_id: 'svc-1',
  start: '2026-01-31T09:00:00.000Z',
  end: null,
  requests: 10,
  status_classes: { '1xx': 1, '2xx': 5, '3xx': 1, '4xx': 1, '5xx': 2 },
  error_ratio: 0.2,
  latency_ms: { p50: 55, p95: 95.5, p99: 1234 },
  bytes_in: 811,
  bytes_out: 8431,
  top_paths: [
    { path: '/api/orders', requests: 4 },
    { path: '/health', requests: 2 },
  ],
  top_client_ips: [{ client_ip: '203.0.113.1', requests: 3 }],
  ...changes,
});

describe('service analytics', () => {
  it('reads --since as seconds or with a unit', () => {
    expect(sinceSeconds('90')).toBe(90);
    expect(sinceSeconds('45s')).toBe(45);
    expect(sinceSeconds('15m')).toBe(900);
    expect(sinceSeconds('1h')).toBe(3600);
    expect(sinceSeconds('7d')).toBe(604_800);
    for (const bad of ['0', '0h', '1.5h', '-1', 'h', '1w', '']) {
      expect(() => sinceSeconds(bad)).toThrow(InvalidArgumentError);
    }
  });

  it('asks for the window given, never --since with --start/--end', () => {
    expect(analyticsQuery({})).toEqual({});
    expect(analyticsQuery({ since: 3600, top: 5 })).toEqual({ since: 3600, top: 5 });
    expect(analyticsQuery({ start: 'a', end: 'b' })).toEqual({ start: 'a', end: 'b' });
    expect(() => analyticsQuery({ since: 60, end: 'b' })).toThrow(UsageError);
    expect(() => analyticsQuery({ since: 60, start: 'a' })).toThrow(
      'give either --since or --start/--end, not both',
    );
  });

  it('formats latencies and byte counts', () => {
    expect(formatLatency(null)).toBeNull();
    expect(formatLatency(0.44)).toBe('0.4ms');
    expect(formatLatency(55)).toBe('55ms');
    expect(formatLatency(95.56)).toBe('95.6ms');
    expect(formatLatency(1234)).toBe('1.23s');
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1023)).toBe('1023 B');
    expect(formatBytes(8431)).toBe('8.2 KiB');
    expect(formatBytes(5 * 1024 ** 3)).toBe('5.0 GiB');
  });

  it('prints the totals, then the top paths and client IPs', () => {
    expect(formatAnalytics(analytics())).toBe(
      [
        'window:      2026-01-31T09:00:00.000Z to now',
        'requests:    10',
        'statuses:    1xx 1  2xx 5  3xx 1  4xx 1  5xx 2',
        'error rate:  20.00% (5xx)',
        'latency p50: 55ms',
        'latency p95: 95.5ms',
        'latency p99: 1.23s',
        'bytes in:    811 B',
        'bytes out:   8.2 KiB',
        '',
        'PATH         REQUESTS',
        '/api/orders  4',
        '/health      2',
        '',
        'CLIENT IP    REQUESTS',
        '203.0.113.1  3',
        '',
      ].join('\n'),
    );
  });

  it('prints an empty window without tables, its percentiles as -', () => {
    const empty = formatAnalytics(
      analytics({
        start: null,
        requests: 0,
        error_ratio: 0,
        latency_ms: { p50: null, p95: null, p99: null },
        top_paths: [],
        top_client_ips: [],
      }),
    );
    expect(empty).toContain('window:      every retained request\n');
    expect(empty).toContain('latency p95: -\n');
    expect(empty).not.toContain('PATH');
    expect(empty).not.toContain('CLIENT IP');
  });
});
