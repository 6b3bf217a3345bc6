import { Anchor, Center, Loader, Stack, Tabs, Text } from '@mantine/core';
import { Link, useParams, useSearchParams } from 'react-router';
import { useApi } from '../api/context';
import { getService, listDeployments } from '../api/endpoints';
import { useAsync } from '../api/useAsync';
import { ApiErrorAlert } from '../components/ApiErrorAlert';
import { ComingNext } from '../components/ComingNext';
import { DeploymentsTable } from '../components/DeploymentsTable';
import { EndpointTab } from '../components/EndpointTab';
import { ServiceHeader } from '../components/ServiceHeader';

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

/** One service: its header, then tabs (the one open is kept in `?tab=`). */
export function ServicePage() {
  const api = useApi();
  const { id = '' } = useParams();
  const [search, setSearch] = useSearchParams();
  const requested = search.get('tab');
  const tab: TabValue = isTab(requested) ? requested : 'endpoint';

  const state = useAsync(
    () => Promise.all([getService(api, id), listDeployments(api, id, DEPLOYMENTS_SHOWN)]),
    [api, id],
  );

  const back = (
    <Anchor component={Link} to="/" size="sm">
      ← Services
    </Anchor>
  );
  if (state.status === 'loading') {
    return (
      <Stack>
        {back}
        <Center py="xl">
          <Loader aria-label="Loading the service" />
        </Center>
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
          <DeploymentsTable deployments={deployments} />
          {total > deployments.length ? (
            <Text size="xs" c="dimmed" mt="xs">
              The newest {deployments.length} of {total} deployments.
            </Text>
          ) : null}
        </Tabs.Panel>
        <Tabs.Panel value="pods" pt="md">
          <ComingNext what="Pods (instances and their logs)" />
        </Tabs.Panel>
        <Tabs.Panel value="traces" pt="md">
          <ComingNext what="Traces" />
        </Tabs.Panel>
        <Tabs.Panel value="metrics" pt="md">
          <ComingNext what="Metrics" />
        </Tabs.Panel>
        <Tabs.Panel value="access-logs" pt="md">
          <ComingNext what="Access logs" />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
