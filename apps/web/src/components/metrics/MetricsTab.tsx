import { SimpleGrid, Skeleton, Stack } from '@mantine/core';
import { useState } from 'react';
import { useApi } from '../../api/context';
import { getMetrics } from '../../api/telemetry';
import { useQuery } from '../../api/useQuery';
import { ApiErrorAlert } from '../ApiErrorAlert';
import { RefreshBar } from '../RefreshBar';
import { TimeWindowSelect } from '../TimeWindowSelect';
import { CHART_HEIGHT, MetricCard } from './MetricCard';
import { METRIC_NAMES } from './metricSeries';

/** The edge's rollups are about 10 s behind; reading more often shows nothing new. */
const POLL_MS = 30_000;
/** A card's height around its plot: padding, title row, note. */
const CARD_CHROME = 90;

/** Request rate, 5xx rate, p95 latency, CPU and memory over a window that ends now. */
export function MetricsTab({ serviceId }: { serviceId: string }) {
  const api = useApi();
  const [sinceSeconds, setSinceSeconds] = useState(3600);
  const metrics = useQuery(
    async (signal) => {
      const end = Date.now();
      const series = await getMetrics(api, serviceId, METRIC_NAMES, sinceSeconds, signal);
      return { series, window: { start: end - sinceSeconds * 1000, end } };
    },
    [api, serviceId, sinceSeconds],
    { pollMs: POLL_MS },
  );

  let body;
  if (metrics.state.status === 'loading') {
    body = (
      <SimpleGrid cols={{ base: 1, md: 2 }} aria-busy="true" aria-label="Loading the metrics">
        {METRIC_NAMES.map((name) => (
          <Skeleton key={name} height={CHART_HEIGHT + CARD_CHROME} radius="md" />
        ))}
      </SimpleGrid>
    );
  } else if (metrics.state.status === 'error') {
    body = <ApiErrorAlert error={metrics.state.error} title="The metrics could not be loaded" />;
  } else {
    const { series, window } = metrics.state.data;
    body = (
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        {series.map((one) => (
          <MetricCard key={one.name} series={one} window={window} />
        ))}
      </SimpleGrid>
    );
  }

  return (
    <Stack gap="md" aria-busy={metrics.refreshing}>
      <RefreshBar query={metrics}>
        <TimeWindowSelect seconds={sinceSeconds} onChange={setSinceSeconds} />
      </RefreshBar>
      {body}
    </Stack>
  );
}
