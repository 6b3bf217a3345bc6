import { type Command, InvalidArgumentError } from 'commander';
import { call, type Schemas } from '../client';
import { UsageError } from '../errors';
import { formatFields, formatTable } from '../output';
import {
  connectToService,
  handle,
  integerIn,
  leaf,
  serviceTarget,
  type ServiceTarget,
} from './common';

interface AnalyticsOptions extends ServiceTarget {
  since?: number;
  start?: string;
  end?: string;
  top?: number;
}

type Analytics = Schemas['ServiceAnalyticsView'];

const UNIT_SECONDS: Readonly<Record<string, number>> = { '': 1, s: 1, m: 60, h: 3600, d: 86_400 };
const MAX_SINCE_SECONDS = 2 ** 31;

/** Commander parser for `--since`: whole seconds, or a number with s, m, h or d (`90m`, `1h`). */
export function sinceSeconds(value: string): number {
  const match = /^(\d+)([smhd]?)$/.exec(value.trim());
  const seconds = match ? Number(match[1]) * (UNIT_SECONDS[match[2] ?? ''] ?? 1) : NaN;
  if (!(seconds >= 1 && seconds <= MAX_SINCE_SECONDS)) {
    throw new InvalidArgumentError(
      'must be a whole number of seconds, or of minutes, hours or days with m, h or d (e.g. 1h), from 1s',
    );
  }
  return seconds;
}

/** The query the flags ask for; `--since` with `--start`/`--end` is a usage error. */
export function analyticsQuery(
  options: Pick<AnalyticsOptions, 'since' | 'start' | 'end' | 'top'>,
): { since?: number; start?: string; end?: string; top?: number } {
  if (options.since !== undefined && (options.start !== undefined || options.end !== undefined)) {
    throw new UsageError('give either --since or --start/--end, not both');
  }
  return {
    ...(options.since !== undefined && { since: options.since }),
    ...(options.start !== undefined && { start: options.start }),
    ...(options.end !== undefined && { end: options.end }),
    ...(options.top !== undefined && { top: options.top }),
  };
}

/** One decimal below a second (`0.4ms`, `95.5ms`), else seconds with two decimals. */
export function formatLatency(ms: number | null): string | null {
  if (ms === null) return null;
  return ms < 1000 ? `${Number(ms.toFixed(1))}ms` : `${(ms / 1000).toFixed(2)}s`;
}

const BYTE_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'] as const;

/** Whole bytes below a KiB, else one decimal in the largest binary unit that fits. */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(1)} ${BYTE_UNITS[unit]}`;
}

function windowOf(found: Analytics): string {
  if (found.start === null && found.end === null) return 'every retained request';
  return `${found.start ?? 'the oldest retained'} to ${found.end ?? 'now'}`;
}

/** The human form: the totals as fields, then the two top lists as tables. */
export function formatAnalytics(found: Analytics): string {
  const classes = found.status_classes;
  const fields = formatFields([
    ['window', windowOf(found)],
    ['requests', found.requests],
    [
      'statuses',
      (['1xx', '2xx', '3xx', '4xx', '5xx'] as const)
        .map((name) => `${name} ${classes[name]}`)
        .join('  '),
    ],
    ['error rate', `${(found.error_ratio * 100).toFixed(2)}% (5xx)`],
    ['latency p50', formatLatency(found.latency_ms.p50)],
    ['latency p95', formatLatency(found.latency_ms.p95)],
    ['latency p99', formatLatency(found.latency_ms.p99)],
    ['bytes in', formatBytes(found.bytes_in)],
    ['bytes out', formatBytes(found.bytes_out)],
  ]);
  const tables = [
    found.top_paths.length === 0
      ? ''
      : formatTable(
          ['path', 'requests'],
          found.top_paths.map((p) => [p.path, p.requests]),
        ),
    found.top_client_ips.length === 0
      ? ''
      : formatTable(
          ['client ip', 'requests'],
          found.top_client_ips.map((c) => [c.client_ip, c.requests]),
        ),
  ].filter((table) => table !== '');
  return [fields, ...tables].join('\n');
}

/** `service analytics`: the edge's summary of a service's requests over a window. */
export function registerAnalytics(service: Command): void {
  const analytics = serviceTarget(
    leaf(
      service,
      'analytics',
      "Summarize a service's requests: counts, status classes, latency, bytes, top paths and clients",
      'slipway service analytics --name my-api --since 1h\n  slipway service analytics --id SERVICE_ID --start 2026-01-31T09:00:00Z --end 2026-01-31T10:00:00Z --json',
      'Computed from the access logs the edge writes. Without --since or --start/--end, every retained request counts.',
    ),
  )
    .option(
      '--since <duration>',
      'the last this long: seconds, or with m, h or d (1h)',
      sinceSeconds,
    )
    .option('--start <time>', 'from this ISO 8601 time on, e.g. 2026-01-31T09:00:00Z')
    .option('--end <time>', 'before this ISO 8601 time')
    .option('--top <n>', 'how many paths and client IPs to list (default 10)', integerIn(1, 50));
  handle<AnalyticsOptions>(analytics, async (options, output, connect) => {
    const query = analyticsQuery(options);
    const { api, id } = await connectToService(options, connect);
    const { data: found } = await call(
      api,
      api.client.GET('/v1/services/{id}/analytics', { params: { path: { id }, query } }),
    );
    output.result(found, () => formatAnalytics(found));
  });
}
