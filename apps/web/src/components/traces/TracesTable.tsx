import { Anchor, Badge, Table } from '@mantine/core';
import type { TraceSummaryView } from '../../api/types';
import { formatDuration, formatTime } from '../../format';

interface TracesTableProps {
  traces: TraceSummaryView[];
  openTraceId: string | undefined;
  onOpen: (traceId: string) => void;
}

export function TracesTable({ traces, openTraceId, onOpen }: TracesTableProps) {
  return (
    <Table.ScrollContainer minWidth={720}>
      <Table highlightOnHover verticalSpacing={6} data-testid="traces-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>TIME</Table.Th>
            <Table.Th>ROOT SPAN</Table.Th>
            <Table.Th ta="right">DURATION</Table.Th>
            <Table.Th ta="right">SPANS</Table.Th>
            <Table.Th>STATUS</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {traces.map((trace) => (
            <Table.Tr
              key={trace.trace_id}
              data-testid="trace-row"
              bg={trace.trace_id === openTraceId ? 'var(--mantine-color-indigo-light)' : undefined}
            >
              <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatTime(trace.start_time)}</Table.Td>
              <Table.Td>
                <Anchor
                  component="button"
                  type="button"
                  size="sm"
                  onClick={() => onOpen(trace.trace_id)}
                  aria-label={`Open trace ${trace.root_span_name} (${trace.trace_id})`}
                  aria-current={trace.trace_id === openTraceId ? 'true' : undefined}
                >
                  {trace.root_span_name}
                </Anchor>
              </Table.Td>
              <Table.Td ta="right">{formatDuration(trace.duration_ms)}</Table.Td>
              <Table.Td ta="right">{trace.span_count}</Table.Td>
              <Table.Td>
                {trace.error ? (
                  <Badge color="red" variant="light">
                    error
                  </Badge>
                ) : (
                  <Badge color="green" variant="light">
                    ok
                  </Badge>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
