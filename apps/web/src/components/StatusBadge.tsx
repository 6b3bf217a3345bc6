import { Badge } from '@mantine/core';
import type { DeploymentStatus, PodStatus, ServiceStatus } from '../api/types';
import { humanize } from '../format';

const SERVICE_COLORS: Record<ServiceStatus, string> = {
  created: 'gray',
  deploying: 'blue',
  running: 'green',
  degraded: 'orange',
  paused: 'gray',
  sleeping: 'violet',
  waking: 'blue',
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

const POD_COLORS: Record<PodStatus, string> = {
  starting: 'blue',
  running: 'green',
  restarting: 'orange',
  exited: 'gray',
  failed: 'red',
  unknown: 'gray',
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

export function PodStatusBadge({ status }: { status: PodStatus }) {
  return (
    <Badge color={POD_COLORS[status]} variant="light" data-testid="pod-status">
      {status}
    </Badge>
  );
}
