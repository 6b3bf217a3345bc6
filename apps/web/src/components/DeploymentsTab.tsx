import { Alert, Button, Code, Group, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { useApi } from '../api/context';
import { newIdempotencyKey, redeploy, rollback } from '../api/endpoints';
import type { DeploymentView } from '../api/types';
import { shortId } from '../format';
import { ConfirmActionModal } from './ConfirmActionModal';
import { DeploymentsTable } from './DeploymentsTable';

/** The action waiting for its confirmation, with the retry-safe key its request will carry. */
type PendingAction =
  { kind: 'redeploy'; key: string } | { kind: 'rollback'; key: string; target: DeploymentView };

interface DeploymentsTabProps {
  serviceId: string;
  /** The service's organization (its members name who started each deployment). */
  orgId: string;
  /** Newest first. */
  deployments: DeploymentView[];
  total: number;
  /** After an action started a deployment: the page reads the service and its deployments. */
  onDeploymentStarted: () => void;
}

/** The deployment history, with redeploy and roll back behind a confirmation. */
export function DeploymentsTab(props: DeploymentsTabProps) {
  const { serviceId, orgId, deployments, total, onDeploymentStarted } = props;
  const api = useApi();
  const [pending, setPending] = useState<PendingAction>();
  const [started, setStarted] = useState<{ deployment: DeploymentView; what: string }>();

  const run = async (action: PendingAction) => {
    const deployment =
      action.kind === 'redeploy'
        ? await redeploy(api, serviceId, action.key)
        : await rollback(api, serviceId, action.target.id, action.key);
    setStarted({
      deployment,
      what: action.kind === 'redeploy' ? 'Redeploy' : `Rollback to ${shortId(action.target.id)}`,
    });
  };

  return (
    <Stack gap="sm">
      <Group justify="space-between">
        <Text size="xs" c="dimmed">
          {total > deployments.length
            ? `The newest ${deployments.length} of ${total} deployments.`
            : ' '}
        </Text>
        <Button
          size="xs"
          variant="light"
          disabled={deployments.length === 0}
          title={deployments.length === 0 ? 'Nothing was deployed yet' : undefined}
          onClick={() => setPending({ kind: 'redeploy', key: newIdempotencyKey() })}
        >
          Redeploy
        </Button>
      </Group>
      {started ? (
        <Alert
          color="green"
          variant="light"
          withCloseButton
          closeButtonLabel="Dismiss"
          onClose={() => setStarted(undefined)}
          data-testid="deployment-started"
        >
          {started.what} started deployment <Code>{shortId(started.deployment.id)}</Code>; its
          status updates below.
        </Alert>
      ) : null}
      <DeploymentsTable
        serviceId={serviceId}
        orgId={orgId}
        deployments={deployments}
        onRollback={(target) => setPending({ kind: 'rollback', key: newIdempotencyKey(), target })}
      />
      {pending?.kind === 'redeploy' ? (
        <ConfirmActionModal
          title="Redeploy this service?"
          confirmLabel="Redeploy"
          onConfirm={() => run(pending)}
          onDone={() => {
            setPending(undefined);
            onDeploymentStarted();
          }}
          onClose={() => setPending(undefined)}
        >
          <Text size="sm">
            The current image and settings are deployed again as a new deployment (a source
            deployment is rebuilt from its bundle, a git one from its branch head). Instances are
            replaced one by one, each new one ready before an old one leaves.
          </Text>
        </ConfirmActionModal>
      ) : null}
      {pending?.kind === 'rollback' ? (
        <ConfirmActionModal
          title={`Roll back to deployment ${shortId(pending.target.id)}?`}
          confirmLabel="Roll back"
          onConfirm={() => run(pending)}
          onDone={() => {
            setPending(undefined);
            onDeploymentStarted();
          }}
          onClose={() => setPending(undefined)}
        >
          <Text size="sm">
            A new deployment restores its image{' '}
            <Code>{pending.target.image_digest ?? pending.target.image}</Code> and its whole
            configuration: env vars, secrets, resources and settings. Instances are replaced one by
            one, each new one ready before an old one leaves.
          </Text>
        </ConfirmActionModal>
      ) : null}
    </Stack>
  );
}
