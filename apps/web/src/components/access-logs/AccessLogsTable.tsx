import { Badge, Code, Table, Text } from '@mantine/core';
import type { AccessLogView } from '../../api/types';
import { formatBytes, formatDuration, formatTime, shortId } from '../../format';

function statusColor(status: number): string {
  if (status >= 500) return 'red';
  if (status >= 400) return 'orange';
  if (status >= 300) return 'cyan';
  if (status >= 200) return 'green';
  return 'blue'; // 101: a WebSocket
}

export function AccessLogsTable({ rows }: { rows: AccessLogView[] }) {
  return (
    <Table.ScrollContainer minWidth={960}>
      <Table striped highlightOnHover verticalSpacing={6} data-testid="access-logs-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>TIME</Table.Th>
            <Table.Th>METHOD</Table.Th>
            <Table.Th>PATH</Table.Th>
            <Table.Th>STATUS</Table.Th>
            <Table.Th ta="right">DURATION</Table.Th>
            <Table.Th ta="right">IN</Table.Th>
            <Table.Th ta="right">OUT</Table.Th>
            <Table.Th>CLIENT</Table.Th>
            <Table.Th>REQUEST ID</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((row) => (
            <Table.Tr key={`${row.time} ${row.request_id}`} data-testid="access-log-row">
              <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatTime(row.time)}</Table.Td>
              <Table.Td>{row.method}</Table.Td>
              <Table.Td>
                <Text size="sm" ff="monospace" maw={360} truncate="end" title={row.path}>
                  {row.path}
                </Text>
              </Table.Td>
              <Table.Td>
                <Badge
                  color={statusColor(row.status)}
                  variant="light"
                  data-testid="access-log-status"
                >
                  {row.status}
                </Badge>
              </Table.Td>
              <Table.Td ta="right">{formatDuration(row.duration_ms)}</Table.Td>
              <Table.Td ta="right">{formatBytes(row.bytes_in)}</Table.Td>
              <Table.Td ta="right">{formatBytes(row.bytes_out)}</Table.Td>
              <Table.Td title={row.user_agent ?? undefined}>{row.client_ip ?? '—'}</Table.Td>
              <Table.Td>
                <Code title={row.request_id}>{shortId(row.request_id)}</Code>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
