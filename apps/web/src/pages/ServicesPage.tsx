import { Alert, Button, Center, Group, Loader, Modal, Text, Title } from '@mantine/core';
import { lazy, Suspense, useState } from 'react';
import { useLocation, useNavigate } from 'react-router';
import { useApi } from '../api/context';
import { listServices } from '../api/endpoints';
import { useAsync } from '../api/useAsync';
import { ApiErrorAlert } from '../components/ApiErrorAlert';
import { ServicesEmptyState } from '../components/ServicesEmptyState';
import { ServicesTable } from '../components/ServicesTable';
import { useSelection } from '../selection';
import type { DeletedServiceState } from './ServicePage';

// The form and the presets' READMEs load with the first "Add new deployment" (a chunk of
// their own), fetched as soon as the pointer or the focus reaches the button.
const loadNewDeploymentModal = () => import('../components/new-deployment/NewDeploymentModal');
const NewDeploymentModal = lazy(() =>
  loadNewDeploymentModal().then(({ NewDeploymentModal }) => ({ default: NewDeploymentModal })),
);
const preloadNewDeploymentModal = () => void loadNewDeploymentModal();

const deletedName = (state: unknown): string | undefined =>
  typeof state === 'object' && state !== null && 'deletedService' in state
    ? String((state as DeletedServiceState).deletedService)
    : undefined;

/** The chosen project's services (the first 100). */
export function ServicesPage() {
  const api = useApi();
  const { projectId } = useSelection();
  const location = useLocation();
  const navigate = useNavigate();
  const [adding, setAdding] = useState(false);
  const [deleted, setDeleted] = useState(() => deletedName(location.state));
  // Bumped when the list has a service it did not show yet (created, its deploy failed).
  const [listVersion, setListVersion] = useState(0);
  const state = useAsync(
    async () => (projectId ? listServices(api, projectId) : undefined),
    [api, projectId, listVersion],
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
        <Button
          onClick={() => setAdding(true)}
          onPointerEnter={preloadNewDeploymentModal}
          onFocus={preloadNewDeploymentModal}
          disabled={!projectId}
          title={projectId ? undefined : 'Choose a project first'}
          data-testid="add-deployment"
        >
          Add new deployment
        </Button>
      </Group>
      {adding && projectId ? (
        <Suspense
          fallback={
            <Modal
              opened
              onClose={() => setAdding(false)}
              title="Add new deployment"
              closeButtonProps={{ 'aria-label': 'Close' }}
              size="xl"
            >
              <Center py="xl">
                <Loader aria-label="Loading the form" />
              </Center>
            </Modal>
          }
        >
          <NewDeploymentModal
            projectId={projectId}
            onDeployed={(service) => void navigate(`/services/${service.id}?tab=deployments`)}
            onClose={(created) => {
              setAdding(false);
              if (created) setListVersion((version) => version + 1);
            }}
          />
        </Suspense>
      ) : null}
      {deleted ? (
        <Alert
          color="green"
          variant="light"
          withCloseButton
          closeButtonLabel="Dismiss"
          onClose={() => setDeleted(undefined)}
          data-testid="service-deleted"
        >
          {deleted} was deleted.
        </Alert>
      ) : null}
      {body}
    </>
  );
}
