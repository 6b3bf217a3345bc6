import { Group, Loader, Text } from '@mantine/core';
import { listDeployments } from '../api/endpoints';
import { useApi } from '../api/context';
import { useAsync } from '../api/useAsync';
import { formatTime } from '../format';
import { DeploymentStatusBadge } from './StatusBadge';

/** The newest deployment of one service, fetched when its row is shown; "—" without one. */
export function LastDeploymentCell({ serviceId }: { serviceId: string }) {
  const api = useApi();
  const state = useAsync(() => listDeployments(api, serviceId, 1), [api, serviceId]);
  if (state.status === 'loading')
    return <Loader size="xs" aria-label="Loading the last deployment" />;
  const latest = state.status === 'ok' ? state.data.deployments[0] : undefined;
  if (!latest) {
    return (
      <Text size="sm" c="dimmed" title={state.status === 'error' ? state.error.message : undefined}>
        —
      </Text>
    );
  }
  return (
    <Group gap="xs" wrap="nowrap">
      <DeploymentStatusBadge status={latest.status} />
      <Text size="sm">{formatTime(latest.started_at)}</Text>
    </Group>
  );
}
