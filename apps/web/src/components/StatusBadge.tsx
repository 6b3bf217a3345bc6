import { Badge } from '@mantine/core';
import type { DeploymentStatus, ServiceStatus } from '../api/types';
import { humanize } from '../format';

const SERVICE_COLORS: Record<ServiceStatus, string> = {
  created: 'gray',
  deploying: 'blue',
  running: 'green',
  degraded: 'orange',
  paused: 'gray',
  failed: 'red',
};

const DEPLOYMENT_COLORS: Record<DeploymentStatus, string> = {
  building: 'cyan',
  deploying: 'blue',
  succeeded: 'green',
  build_failed: 'red',
  deployment_failed: 'red',
  cancelled: 'gray',
};

export function ServiceStatusBadge({ status }: { status: ServiceStatus }) {
  return (
    <Badge color={SERVICE_COLORS[status]} variant="light" data-testid="service-status">
      {humanize(status)}
    </Badge>
  );
}

export function DeploymentStatusBadge({ status }: { status: DeploymentStatus }) {
  return (
    <Badge color={DEPLOYMENT_COLORS[status]} variant="light" data-testid="deployment-status">
      {humanize(status)}
    </Badge>
  );
}
