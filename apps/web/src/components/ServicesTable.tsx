import { Anchor, Code, Table } from '@mantine/core';
import { Link } from 'react-router';
import type { ServiceView } from '../api/types';
import { LastDeploymentCell } from './LastDeploymentCell';
import { ServiceStatusBadge } from './StatusBadge';

export function ServicesTable({ services }: { services: ServiceView[] }) {
  return (
    <Table.ScrollContainer minWidth={760}>
      <Table highlightOnHover data-testid="services-table" aria-label="Services">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Name</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th>Access type</Table.Th>
            <Table.Th>Hostname</Table.Th>
            <Table.Th>Last deployment</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {services.map((service) => (
            <Table.Tr key={service.id} data-testid="service-row">
              <Table.Td>
                <Anchor component={Link} to={`/services/${service.id}`} fw={500}>
                  {service.name}
                </Anchor>
              </Table.Td>
              <Table.Td>
                <ServiceStatusBadge status={service.status} />
              </Table.Td>
              <Table.Td>{service.access_control.access_type}</Table.Td>
              <Table.Td>
                <Code>{service.hostname}</Code>
              </Table.Td>
              <Table.Td>
                <LastDeploymentCell serviceId={service.id} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
