import { Skeleton, Stack, Tabs } from '@mantine/core';
import { lazy, Suspense, useCallback, useEffect, useState } from 'react';
import { useNavigate, useParams, useSearchParams } from 'react-router';
import { useApi } from '../api/context';
import { getService, listDeployments } from '../api/endpoints';
import type { DeploymentView, ServiceOperationView, ServiceView } from '../api/types';
import { useQuery } from '../api/useQuery';
import { AccessLogsTab } from '../components/access-logs/AccessLogsTab';
import { ApiErrorAlert } from '../components/ApiErrorAlert';
import { DeploymentsTab } from '../components/DeploymentsTab';
import { EndpointTab } from '../components/EndpointTab';
import { PodsTab } from '../components/pods/PodsTab';
import { ServiceHeader } from '../components/ServiceHeader';
import { OperationProgress } from '../components/service-actions/OperationProgress';
import { ServiceActionsMenu } from '../components/service-actions/ServiceActionsMenu';
import { TracesTab } from '../components/traces/TracesTab';
import { BackToServices, ServicePageSkeleton } from './ServicePageSkeleton';

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

/** What runs now: the count set by a scale, else what the newest good deployment asked for. */
const currentInstances = (service: ServiceView, deployments: DeploymentView[]): number =>
  service.instances ?? deployments.find(({ status }) => status === 'succeeded')?.replicas ?? 1;

/** Where the services list learns which service was just deleted (router state). */
export interface DeletedServiceState {
  deletedService: string;
}

/** One service: its header, then tabs (the one open is kept in `?tab=`). */
export function ServicePage() {
  const { id = '' } = useParams();
  // A new id is a new page: nothing of the previous service stays on screen meanwhile.
  return <ServiceScreen key={id} id={id} />;
}

function ServiceScreen({ id }: { id: string }) {
  const api = useApi();
  const navigate = useNavigate();
  const [search, setSearch] = useSearchParams();
  const [operation, setOperation] = useState<{ view: ServiceOperationView; running: boolean }>();
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
  const operationEnded = useCallback(() => {
    setOperation((tracked) => tracked && { ...tracked, running: false });
    reload();
  }, [reload]);

  const back = <BackToServices />;
  if (state.status === 'loading') return <ServicePageSkeleton />;
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
      <ServiceHeader
        service={service}
        latest={deployments[0]}
        actions={
          <ServiceActionsMenu
            service={service}
            currentInstances={currentInstances(service, deployments)}
            operationRunning={operation?.running ?? false}
            onOperationStarted={(view) => {
              setOperation({ view, running: view.status === 'running' });
              if (view.status !== 'running') reload();
            }}
            onChanged={reload}
            onDeleted={() => {
              const state: DeletedServiceState = { deletedService: service.name };
              void navigate('/', { replace: true, state });
            }}
          />
        }
      />
      {operation ? (
        <OperationProgress
          key={operation.view.id}
          serviceId={service.id}
          operation={operation.view}
          onEnded={operationEnded}
          onDismiss={() => setOperation(undefined)}
        />
      ) : null}
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
            orgId={service.org_id}
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
