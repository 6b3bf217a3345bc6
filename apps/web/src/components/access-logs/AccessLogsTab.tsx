import { Button, EmptyState, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { useApi } from '../../api/context';
import { listAccessLogs, type AccessLogQuery } from '../../api/telemetry';
import { useQuery } from '../../api/useQuery';
import { ApiErrorAlert } from '../ApiErrorAlert';
import { LoadingRows } from '../LoadingRows';
import { RefreshBar } from '../RefreshBar';
import { AccessLogFilters } from './AccessLogFilters';
import { AccessLogsTable } from './AccessLogsTable';

/** Rows asked for at once: the newest of the window. */
const ROWS = 200;

const UNFILTERED: AccessLogQuery = {
  sinceSeconds: 3600,
  statuses: [],
  methods: [],
  pathContains: '',
  limit: ROWS,
};

const isFiltered = (query: AccessLogQuery): boolean =>
  query.statuses.length > 0 || query.methods.length > 0 || query.pathContains !== '';

interface AccessLogsTabProps {
  serviceId: string;
  hostname: string;
}

/** The requests the edge proxied to the service, newest first, with their filters. */
export function AccessLogsTab({ serviceId, hostname }: AccessLogsTabProps) {
  const api = useApi();
  const [query, setQuery] = useState<AccessLogQuery>(UNFILTERED);
  // Remounting the filters empties their text boxes too.
  const [filtersKey, setFiltersKey] = useState(0);
  const rows = useQuery(
    (signal) => listAccessLogs(api, serviceId, query, signal),
    [api, serviceId, query],
  );

  const clearFilters = () => {
    setQuery({ ...UNFILTERED, sinceSeconds: query.sinceSeconds });
    setFiltersKey((key) => key + 1);
  };

  let body;
  if (rows.state.status === 'loading') {
    body = <LoadingRows what="the access log" rows={8} />;
  } else if (rows.state.status === 'error') {
    body = <ApiErrorAlert error={rows.state.error} title="The access log could not be loaded" />;
  } else if (rows.state.data.length === 0) {
    body = isFiltered(query) ? (
      <EmptyState
        data-testid="access-logs-empty"
        title="No request matches these filters"
        description="Widen the window or loosen the filters."
      >
        <Button variant="light" onClick={clearFilters} mt="sm">
          Clear the filters
        </Button>
      </EmptyState>
    ) : (
      <EmptyState
        data-testid="access-logs-empty"
        title="No requests in this window"
        description={`Call https://${hostname}/ (the Endpoint tab has a snippet): each request shows here about a second after it is answered. Or choose a longer window.`}
      />
    );
  } else {
    const shown = rows.state.data.length;
    body = (
      <Stack gap="xs">
        <AccessLogsTable rows={rows.state.data} />
        {shown === ROWS ? (
          <Text size="xs" c="dimmed">
            The newest {ROWS} requests of the window; narrow it to see earlier ones.
          </Text>
        ) : null}
      </Stack>
    );
  }

  return (
    <Stack gap="md" aria-busy={rows.refreshing}>
      <RefreshBar query={rows}>
        <AccessLogFilters
          key={filtersKey}
          query={query}
          onChange={(change) => setQuery((previous) => ({ ...previous, ...change }))}
        />
      </RefreshBar>
      {body}
    </Stack>
  );
}
