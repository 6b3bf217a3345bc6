import { call, type Api } from './client';
import type {
  AccessLogView,
  MetricName,
  MetricSeriesView,
  TraceSummaryView,
  TraceView,
} from './types';

/** What the access log is narrowed to; an empty list or text does not narrow. */
export interface AccessLogQuery {
  sinceSeconds: number;
  statuses: readonly number[];
  methods: readonly string[];
  pathContains: string;
  limit: number;
}

/** The newest requests of the window first. */
export async function listAccessLogs(
  api: Api,
  serviceId: string,
  { sinceSeconds, statuses, methods, pathContains, limit }: AccessLogQuery,
  signal?: AbortSignal,
): Promise<AccessLogView[]> {
  const query = {
    since: sinceSeconds,
    limit,
    ...(statuses.length > 0 && { status: statuses.join(',') }),
    ...(methods.length > 0 && { method: methods.join(',') }),
    ...(pathContains !== '' && { path_contains: pathContains }),
  };
  const params = { path: { id: serviceId }, query };
  return (await call(api.client.GET('/v1/services/{id}/access-logs', { params, signal }))).data;
}

/** One series per name, in the order asked; a series that could not be read says why. */
export async function getMetrics(
  api: Api,
  serviceId: string,
  names: readonly MetricName[],
  sinceSeconds: number,
  signal?: AbortSignal,
): Promise<MetricSeriesView[]> {
  const params = {
    path: { id: serviceId },
    query: { since: sinceSeconds, names: names.join(',') },
  };
  return (await call(api.client.GET('/v1/services/{id}/metrics', { params, signal }))).data;
}

export interface TraceQuery {
  sinceSeconds: number;
  minDurationMs: number | undefined;
  errorsOnly: boolean;
  nameContains: string;
  limit: number;
}

export interface TracePage {
  traces: TraceSummaryView[];
  /** Pass back for the next (older) page; null when there is none. */
  nextCursor: string | null;
}

/** Newest first, a page at a time. */
export async function listTraces(
  api: Api,
  serviceId: string,
  { sinceSeconds, minDurationMs, errorsOnly, nameContains, limit }: TraceQuery,
  cursor: string | undefined,
  signal?: AbortSignal,
): Promise<TracePage> {
  const query = {
    since: sinceSeconds,
    limit,
    ...(minDurationMs !== undefined && { min_duration_ms: minDurationMs }),
    ...(errorsOnly && { status: 'error' as const }),
    ...(nameContains !== '' && { name_contains: nameContains }),
    ...(cursor !== undefined && { cursor }),
  };
  const params = { path: { id: serviceId }, query };
  const answer = await call(api.client.GET('/v1/services/{id}/traces', { params, signal }));
  return { traces: answer.data, nextCursor: answer.pagination.next_cursor };
}

/** Every stored span of one trace, as a tree. */
export async function getTrace(
  api: Api,
  serviceId: string,
  traceId: string,
  signal?: AbortSignal,
): Promise<TraceView> {
  const params = { path: { id: serviceId, trace_id: traceId } };
  return (await call(api.client.GET('/v1/services/{id}/traces/{trace_id}', { params, signal })))
    .data;
}
