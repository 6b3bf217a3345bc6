import { Button, EmptyState, Stack } from '@mantine/core';
import { useState } from 'react';
import { useApi } from '../../api/context';
import type { TraceQuery } from '../../api/telemetry';
import { ApiErrorAlert } from '../ApiErrorAlert';
import { CodeBlock } from '../CodeBlock';
import { LoadingRows } from '../LoadingRows';
import { RefreshBar } from '../RefreshBar';
import { TraceFilters } from './TraceFilters';
import { TracePanel } from './TracePanel';
import { TracesTable } from './TracesTable';
import { useTracePages } from './useTracePages';

/** Traces per page. */
const PAGE = 20;

const UNFILTERED: TraceQuery = {
  sinceSeconds: 3600,
  minDurationMs: undefined,
  errorsOnly: false,
  nameContains: '',
  limit: PAGE,
};

const isFiltered = (query: TraceQuery): boolean =>
  query.minDurationMs !== undefined || query.errorsOnly || query.nameContains !== '';

// As the README shows it: instances get the OTLP endpoint and headers in their environment.
const NODE_SETUP = `// npm i @opentelemetry/sdk-node @opentelemetry/exporter-trace-otlp-proto
const { NodeSDK } = require('@opentelemetry/sdk-node');
const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-proto');
new NodeSDK({ traceExporter: new OTLPTraceExporter() }).start();
`;

/** The traces the service reported, newest first, with filters; one opens as a waterfall. */
export function TracesTab({ serviceId }: { serviceId: string }) {
  const api = useApi();
  const [query, setQuery] = useState<TraceQuery>(UNFILTERED);
  const [filtersKey, setFiltersKey] = useState(0);
  const [openTraceId, setOpenTraceId] = useState<string>();
  const traces = useTracePages(api, serviceId, query);
  const { first } = traces;

  const clearFilters = () => {
    setQuery({ ...UNFILTERED, sinceSeconds: query.sinceSeconds });
    setFiltersKey((key) => key + 1);
  };

  let body;
  if (first.state.status === 'loading') {
    body = <LoadingRows what="the traces" rows={6} />;
  } else if (first.state.status === 'error') {
    body = <ApiErrorAlert error={first.state.error} title="The traces could not be loaded" />;
  } else if (traces.traces.length === 0) {
    body = isFiltered(query) ? (
      <EmptyState
        data-testid="traces-empty"
        title="No trace matches these filters"
        description="Widen the window or loosen the filters."
      >
        <Button variant="light" onClick={clearFilters} mt="sm">
          Clear the filters
        </Button>
      </EmptyState>
    ) : (
      <EmptyState
        data-testid="traces-empty"
        title="No traces in this window"
        description="Every instance is given OTEL_EXPORTER_OTLP_ENDPOINT and OTEL_EXPORTER_OTLP_HEADERS, so a stock OpenTelemetry SDK reports here with no Slipway-specific code. In Node:"
      >
        <CodeBlock code={NODE_SETUP} label="the OpenTelemetry set-up for Node" />
      </EmptyState>
    );
  } else {
    body = (
      <Stack gap="xs">
        <TracesTable traces={traces.traces} openTraceId={openTraceId} onOpen={setOpenTraceId} />
        {traces.olderError ? (
          <ApiErrorAlert error={traces.olderError} title="Older traces could not be loaded" />
        ) : null}
        {traces.hasOlder ? (
          <Button
            variant="default"
            size="xs"
            onClick={traces.loadOlder}
            loading={traces.loadingOlder}
            style={{ alignSelf: 'center' }}
          >
            Load older traces
          </Button>
        ) : null}
      </Stack>
    );
  }

  return (
    <Stack gap="md" aria-busy={first.refreshing}>
      <RefreshBar query={first}>
        <TraceFilters
          key={filtersKey}
          query={query}
          onChange={(change) => setQuery((previous) => ({ ...previous, ...change }))}
        />
      </RefreshBar>
      {body}
      {openTraceId ? (
        <TracePanel
          key={openTraceId}
          serviceId={serviceId}
          traceId={openTraceId}
          onClose={() => setOpenTraceId(undefined)}
        />
      ) : null}
    </Stack>
  );
}
