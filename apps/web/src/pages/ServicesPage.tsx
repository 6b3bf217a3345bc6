import { Center, Group, Loader, Text, Title } from '@mantine/core';
import { useApi } from '../api/context';
import { listServices } from '../api/endpoints';
import { useAsync } from '../api/useAsync';
import { ApiErrorAlert } from '../components/ApiErrorAlert';
import { ServicesEmptyState } from '../components/ServicesEmptyState';
import { ServicesTable } from '../components/ServicesTable';
import { useSelection } from '../selection';

/** The chosen project's services (the first 100). */
export function ServicesPage() {
  const api = useApi();
  const { projectId } = useSelection();
  const state = useAsync(
    async () => (projectId ? listServices(api, projectId) : undefined),
    [api, projectId],
  );

  let body;
  if (!projectId) {
    body = (
      <Text size="sm" c="dimmed">
        Choose an organization and a project above to see their services.
      </Text>
    );
  } else if (state.status === 'loading') {
    body = (
      <Center py="xl">
        <Loader aria-label="Loading the services" />
      </Center>
    );
  } else if (state.status === 'error') {
    body = <ApiErrorAlert error={state.error} title="The services could not be loaded" />;
  } else if (!state.data || state.data.services.length === 0) {
    body = <ServicesEmptyState projectId={projectId} />;
  } else {
    const { services, total } = state.data;
    body = (
      <>
        <ServicesTable services={services} />
        {total > services.length ? (
          <Text size="xs" c="dimmed">
            Showing the first {services.length} of {total} services.
          </Text>
        ) : null}
      </>
    );
  }

  return (
    <>
      <Group justify="space-between">
        <Title order={2}>Services</Title>
      </Group>
      {body}
    </>
  );
}
