import { Alert, Group, Loader, Text } from '@mantine/core';
import { useEffect, useRef } from 'react';
import { useApi } from '../../api/context';
import { getServiceStatus } from '../../api/operations';
import type { ServiceOperationView, ServiceStatusView } from '../../api/types';
import { useQuery } from '../../api/useQuery';

/** While the operation runs, the service's status is read again this often. */
const POLL_MS = 2_000;

const plural = (count: number) => `${count} ${count === 1 ? 'instance' : 'instances'}`;

function describe({ kind, instances, status }: ServiceOperationView): string {
  const scale = kind === 'scale';
  switch (status) {
    case 'running':
      return scale ? `Scaling to ${plural(instances)}…` : `Restarting ${plural(instances)}…`;
    case 'succeeded':
      return scale ? `Scaled to ${plural(instances)}.` : `Restarted ${plural(instances)}.`;
    case 'failed':
      return scale ? `Scaling to ${plural(instances)} failed.` : 'The restart failed.';
  }
}

const COLORS: Record<ServiceOperationView['status'], string> = {
  running: 'blue',
  succeeded: 'green',
  failed: 'red',
};

/** The status only speaks of the newest operation; until it knows this one, the start answer stands. */
const latest = (started: ServiceOperationView, status: ServiceStatusView | undefined) =>
  status?.operation?.id === started.id ? status.operation : started;

interface OperationProgressProps {
  serviceId: string;
  /** As the scale or restart request answered it. */
  operation: ServiceOperationView;
  /** Once, when it succeeded or failed: the page reads the service again. */
  onEnded: () => void;
  onDismiss: () => void;
}

/** A scale or restart from its start to its end, with the instances ready meanwhile. */
export function OperationProgress(props: OperationProgressProps) {
  const { serviceId, operation, onEnded, onDismiss } = props;
  const api = useApi();
  const startedRunning = operation.status === 'running';
  const query = useQuery(
    (signal) => getServiceStatus(api, serviceId, signal),
    [api, serviceId, operation.id],
  );
  const status = query.state.status === 'ok' ? query.state.data : undefined;
  const current = latest(operation, status);
  const running = current.status === 'running';

  const { reload } = query;
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(reload, POLL_MS);
    return () => clearInterval(timer);
  }, [running, reload]);
  const reportedEnd = useRef(false);
  useEffect(() => {
    if (!startedRunning || running || reportedEnd.current) return;
    reportedEnd.current = true;
    onEnded();
  }, [startedRunning, running, onEnded]);
  const readError =
    query.reloadError ?? (query.state.status === 'error' ? query.state.error : undefined);

  return (
    <Alert
      color={COLORS[current.status]}
      variant="light"
      withCloseButton={!running}
      closeButtonLabel="Dismiss"
      onClose={onDismiss}
      data-testid="operation-progress"
    >
      <Group gap="sm" wrap="nowrap">
        {running ? <Loader size="xs" aria-hidden /> : null}
        <div role="status">
          <Text size="sm" fw={500}>
            {describe(current)}
          </Text>
          {current.failure_reason ? <Text size="sm">{current.failure_reason}</Text> : null}
          {running && status ? (
            <Text size="xs" c="dimmed">
              {status.ready} of {status.desired} ready, {status.total} in all
            </Text>
          ) : null}
          {running && readError ? (
            <Text size="xs" c="dimmed">
              The progress could not be read: {readError.message}
            </Text>
          ) : null}
        </div>
      </Group>
    </Alert>
  );
}
