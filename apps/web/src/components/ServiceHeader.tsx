import { Code, DataList, Group, Paper, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import type { DeploymentView, ServiceView } from '../api/types';
import { useMembers } from '../api/useMembers';
import { CopyValueButton } from './CopyValueButton';
import { ServiceStatusBadge } from './StatusBadge';
import { UserName } from './UserName';

interface ServiceHeaderProps {
  service: ServiceView;
  /** The newest deployment; undefined when the service was never deployed. */
  latest: DeploymentView | undefined;
  /** Buttons or a menu at the right of the name. */
  actions?: ReactNode;
}

export function ServiceHeader({ service, latest, actions }: ServiceHeaderProps) {
  const members = useMembers(latest ? service.org_id : undefined);
  return (
    <Paper withBorder p="md" radius="md" data-testid="service-header">
      <Group justify="space-between" align="flex-start" wrap="nowrap" mb="xs">
        <Group gap="sm">
          <Title order={2}>{service.name}</Title>
          <ServiceStatusBadge status={service.status} />
        </Group>
        {actions}
      </Group>
      {service.status_reason ? (
        <Text size="sm" c="dimmed" mb="sm">
          {service.status_reason}
        </Text>
      ) : null}
      {service.description ? (
        <Text size="sm" mb="sm">
          {service.description}
        </Text>
      ) : null}
      <DataList labelWidth={140}>
        <DataList.Item>
          <DataList.ItemLabel>Access Type</DataList.ItemLabel>
          <DataList.ItemValue data-testid="service-access-type">
            {service.access_control.access_type}
          </DataList.ItemValue>
        </DataList.Item>
        <DataList.Item>
          <DataList.ItemLabel>Hostname</DataList.ItemLabel>
          <DataList.ItemValue>
            <Group gap="xs">
              <Code data-testid="service-hostname">{service.hostname}</Code>
              <CopyValueButton value={service.hostname} label="the hostname" />
            </Group>
          </DataList.ItemValue>
        </DataList.Item>
        <DataList.Item>
          <DataList.ItemLabel>Category</DataList.ItemLabel>
          <DataList.ItemValue>{service.category}</DataList.ItemValue>
        </DataList.Item>
        <DataList.Item>
          <DataList.ItemLabel>Deployed by</DataList.ItemLabel>
          <DataList.ItemValue data-testid="service-deployed-by">
            {latest ? (
              <UserName userId={latest.started_by} members={members} />
            ) : (
              'not deployed yet'
            )}
          </DataList.ItemValue>
        </DataList.Item>
      </DataList>
    </Paper>
  );
}
