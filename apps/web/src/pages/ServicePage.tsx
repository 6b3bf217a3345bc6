import { Anchor, Skeleton, Stack, Tabs } from '@mantine/core';
import { lazy, Suspense, useEffect } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { useApi } from '../api/context';
import { getService, listDeployments } from '../api/endpoints';
import { useQuery } from '../api/useQuery';
import { AccessLogsTab } from '../components/access-logs/AccessLogsTab';
import { ApiErrorAlert } from '../components/ApiErrorAlert';
import { DeploymentsTab } from '../components/DeploymentsTab';
import { EndpointTab } from '../components/EndpointTab';
import { PodsTab } from '../components/pods/PodsTab';
import { ServiceHeader } from '../components/ServiceHeader';
import { TracesTab } from '../components/traces/TracesTab';

// The charts (recharts) are most of the bundle's weight: they load when Metrics is opened.
const MetricsTab = lazy(() =>
  import('../components/metrics/MetricsTab').then(({ MetricsTab }) => ({ default: MetricsTab })),
);

const TABS = [
  { value: 'endpoint', label: 'Endpoint' },
  { value: 'deployments', label: 'Deployments' },
  { value: 'pods', label: 'Pods' },
  { value: 'traces', label: 'Traces' },
  { value: 'metrics', label: 'Metrics' },
  { value: 'access-logs', label: 'Access logs' },
] as const;

type TabValue = (typeof TABS)[number]['value'];

const isTab = (value: string | null): value is TabValue => TABS.some((tab) => tab.value === value);

/** How many deployments the Deployments tab lists (newest first). */
const DEPLOYMENTS_SHOWN = 50;
/** While a deployment builds or rolls out, its status is read again this often. */
const LIVE_POLL_MS = 3_000;

/** One service: its header, then tabs (the one open is kept in `?tab=`). */
export function ServicePage() {
  const { id = '' } = useParams();
  // A new id is a new page: nothing of the previous service stays on screen meanwhile.
  return <ServiceScreen key={id} id={id} />;
}

function ServiceScreen({ id }: { id: string }) {
  const api = useApi();
  const [search, setSearch] = useSearchParams();
  const requested = search.get('tab');
  const tab: TabValue = isTab(requested) ? requested : 'endpoint';

  const query = useQuery(
    () => Promise.all([getService(api, id), listDeployments(api, id, DEPLOYMENTS_SHOWN)]),
    [api, id],
  );
  const { state, reload } = query;
  const inProgress =
    state.status === 'ok' &&
    state.data[1].deployments.some(({ status }) => status === 'building' || status === 'deploying');
  useEffect(() => {
    if (!inProgress) return;
    const timer = setInterval(reload, LIVE_POLL_MS);
    return () => clearInterval(timer);
  }, [inProgress, reload]);

  const back = (
    <Anchor component={Link} to="/" size="sm">
      ← Services
    </Anchor>
  );
  if (state.status === 'loading') {
    return (
      <Stack aria-busy="true" aria-label="Loading the service">
        {back}
        <Skeleton height={190} radius="md" />
        <Skeleton height={36} radius="sm" />
        <Skeleton height={240} radius="sm" />
      </Stack>
    );
  }
  if (state.status === 'error') {
    return (
      <Stack>
        {back}
        <ApiErrorAlert error={state.error} title="The service could not be loaded" />
      </Stack>
    );
  }

  const [service, { deployments, total }] = state.data;
  return (
    <Stack gap="md">
      {back}
      <ServiceHeader service={service} latest={deployments[0]} />
      {query.reloadError ? (
        <ApiErrorAlert error={query.reloadError} title="The service could not be read again" />
      ) : null}
      <Tabs
        value={tab}
        onChange={(value) => {
          if (isTab(value)) setSearch({ tab: value }, { replace: true });
        }}
        keepMounted={false}
      >
        <Tabs.List aria-label="Service views">
          {TABS.map(({ value, label }) => (
            <Tabs.Tab key={value} value={value} data-testid={`tab-${value}`}>
              {label}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        <Tabs.Panel value="endpoint" pt="md">
          <EndpointTab service={service} />
        </Tabs.Panel>
        <Tabs.Panel value="deployments" pt="md">
          <DeploymentsTab
            serviceId={service.id}
            deployments={deployments}
            total={total}
            onDeploymentStarted={reload}
          />
        </Tabs.Panel>
        <Tabs.Panel value="pods" pt="md">
          <PodsTab serviceId={service.id} />
        </Tabs.Panel>
        <Tabs.Panel value="traces" pt="md">
          <TracesTab serviceId={service.id} />
        </Tabs.Panel>
        <Tabs.Panel value="metrics" pt="md">
          <Suspense
            fallback={<Skeleton height={290} radius="md" aria-label="Loading the charts" />}
          >
            <MetricsTab serviceId={service.id} />
          </Suspense>
        </Tabs.Panel>
        <Tabs.Panel value="access-logs" pt="md">
          <AccessLogsTab serviceId={service.id} hostname={service.hostname} />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
