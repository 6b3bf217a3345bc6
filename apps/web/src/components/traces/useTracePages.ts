import { useState } from 'react';
import type { Api } from '../../api/client';
import { toApiError, type ApiError } from '../../api/errors';
import { listTraces, type TracePage, type TraceQuery } from '../../api/telemetry';
import type { TraceSummaryView } from '../../api/types';
import { useQuery, type Query } from '../../api/useQuery';

interface OlderPages {
  /** The first page these follow: a new first page (new filters, a refresh) drops them. */
  after: TracePage;
  pages: TracePage[];
  loading: boolean;
  error?: ApiError;
}

export interface TracePages {
  first: Query<TracePage>;
  /** Every trace loaded so far for the current filters, newest first. */
  traces: TraceSummaryView[];
  hasOlder: boolean;
  loadingOlder: boolean;
  olderError: ApiError | undefined;
  loadOlder: () => void;
}

/** The newest page of traces for the filters, and older ones on request (cursor paging). */
export function useTracePages(api: Api, serviceId: string, query: TraceQuery): TracePages {
  const first = useQuery(
    (signal) => listTraces(api, serviceId, query, undefined, signal),
    [api, serviceId, query],
  );
  const [older, setOlder] = useState<OlderPages>();
  const firstPage = first.state.status === 'ok' ? first.state.data : undefined;
  const current = older && older.after === firstPage ? older : undefined;
  const pages = firstPage ? [firstPage, ...(current?.pages ?? [])] : [];
  const cursor = pages.at(-1)?.nextCursor ?? null;

  const loadOlder = () => {
    if (!firstPage || cursor === null || current?.loading) return;
    const after = firstPage;
    const loaded = current?.pages ?? [];
    setOlder({ after, pages: loaded, loading: true });
    const keep = (update: (previous: OlderPages) => OlderPages) =>
      setOlder((previous) => (previous?.after === after ? update(previous) : previous));
    listTraces(api, serviceId, query, cursor).then(
      (page) => keep((previous) => ({ after, pages: [...previous.pages, page], loading: false })),
      (error: unknown) =>
        keep((previous) => ({ ...previous, loading: false, error: toApiError(error) })),
    );
  };

  return {
    first,
    traces: pages.flatMap((page) => page.traces),
    hasOlder: cursor !== null,
    loadingOlder: current?.loading ?? false,
    olderError: current?.error,
    loadOlder,
  };
}
