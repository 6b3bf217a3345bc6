import { Box, Code, Group, Stack, Table, Text, UnstyledButton } from '@mantine/core';
import { useState } from 'react';
import type { SpanView, TraceView } from '../../api/types';
import { formatDuration } from '../../format';
import { waterfallRows } from './waterfall';

/** Indentation per level of the span tree. */
const INDENT_PX = 14;
const BAR_HEIGHT = 14;

function SpanDetails({ span }: { span: SpanView }) {
  const attributes = Object.entries(span.attributes);
  return (
    <Stack gap={4} data-testid="span-details">
      <Text size="sm" fw={600}>
        {span.name}
      </Text>
      <Text size="xs" c="dimmed">
        {span.kind} · {formatDuration(span.duration_ms)} · status {span.status.code}
        {span.status.message ? `: ${span.status.message}` : ''}
      </Text>
      {attributes.length === 0 ? (
        <Text size="xs" c="dimmed">
          No attributes.
        </Text>
      ) : (
        <Code block>
          {attributes.map(([key, value]) => `${key}=${JSON.stringify(value)}`).join('\n')}
        </Code>
      )}
    </Stack>
  );
}

/** One trace's spans as bars along its timeline, nested by parent; a click shows a span. */
export function TraceWaterfall({ trace }: { trace: TraceView }) {
  const rows = waterfallRows(trace);
  const [selected, setSelected] = useState<string>();
  const selectedSpan = rows.find((row) => row.span.span_id === selected)?.span;

  return (
    <Stack gap="sm">
      <Table layout="fixed" verticalSpacing={4} data-testid="trace-waterfall">
        <Table.Thead>
          <Table.Tr>
            <Table.Th w="35%">SPAN</Table.Th>
            <Table.Th>TIMELINE (0 – {formatDuration(trace.duration_ms)})</Table.Th>
            <Table.Th w={100} ta="right">
              DURATION
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map(({ span, depth, offsetMs, left, width }) => {
            const failed = span.status.code === 'error';
            return (
              <Table.Tr
                key={span.span_id}
                data-testid="span-row"
                bg={span.span_id === selected ? 'var(--mantine-color-indigo-light)' : undefined}
              >
                <Table.Td>
                  <UnstyledButton
                    pl={depth * INDENT_PX}
                    onClick={() =>
                      setSelected(span.span_id === selected ? undefined : span.span_id)
                    }
                    aria-pressed={span.span_id === selected}
                    title={span.name}
                    w="100%"
                  >
                    <Text size="sm" truncate="end" c={failed ? 'red' : undefined}>
                      {span.name}
                    </Text>
                  </UnstyledButton>
                </Table.Td>
                <Table.Td>
                  <Box pos="relative" h={BAR_HEIGHT}>
                    <Box
                      pos="absolute"
                      top={0}
                      h={BAR_HEIGHT}
                      style={{
                        left: `${left}%`,
                        width: `${width}%`,
                        borderRadius: 3,
                        background: failed
                          ? 'var(--mantine-color-red-6)'
                          : 'var(--mantine-color-indigo-5)',
                      }}
                      role="img"
                      aria-label={`${span.name}: starts at +${formatDuration(offsetMs)}, lasts ${formatDuration(span.duration_ms)}${failed ? ', failed' : ''}`}
                      data-testid="span-bar"
                    />
                  </Box>
                </Table.Td>
                <Table.Td ta="right">
                  <Text size="sm">{formatDuration(span.duration_ms)}</Text>
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
      {selectedSpan ? (
        <SpanDetails span={selectedSpan} />
      ) : (
        <Group>
          <Text size="xs" c="dimmed">
            Choose a span to see its attributes.
          </Text>
        </Group>
      )}
    </Stack>
  );
}
