import { CloseButton, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useEffect, useRef } from 'react';
import { useApi } from '../../api/context';
import { getTrace } from '../../api/telemetry';
import { useQuery } from '../../api/useQuery';
import { formatDuration, formatTime } from '../../format';
import { ApiErrorAlert } from '../ApiErrorAlert';
import { LoadingRows } from '../LoadingRows';
import { TraceWaterfall } from './TraceWaterfall';

interface TracePanelProps {
  serviceId: string;
  traceId: string;
  onClose: () => void;
}

/** One trace, loaded on its own, as a waterfall; its heading takes the focus when it opens. */
export function TracePanel({ serviceId, traceId, onClose }: TracePanelProps) {
  const api = useApi();
  const trace = useQuery(
    (signal) => getTrace(api, serviceId, traceId, signal),
    [api, serviceId, traceId],
  );
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    heading.current?.focus();
    heading.current?.scrollIntoView({ block: 'nearest' });
  }, []);

  let body;
  if (trace.state.status === 'loading') {
    body = <LoadingRows what="the trace" rows={4} rowHeight={26} />;
  } else if (trace.state.status === 'error') {
    body = <ApiErrorAlert error={trace.state.error} title="The trace could not be loaded" />;
  } else {
    const { root_span_name, duration_ms, span_count, start_time } = trace.state.data;
    body = (
      <Stack gap="xs">
        <Text size="sm" c="dimmed">
          {root_span_name} · {formatDuration(duration_ms)} · {span_count} spans · started{' '}
          {formatTime(start_time)}
        </Text>
        <TraceWaterfall trace={trace.state.data} />
      </Stack>
    );
  }

  return (
    <Paper withBorder p="md" radius="md" data-testid="trace-panel">
      <Group justify="space-between" mb="xs">
        <Title order={4} ref={heading} tabIndex={-1}>
          Trace <code>{traceId}</code>
        </Title>
        <CloseButton aria-label="Close the trace" onClick={onClose} />
      </Group>
      {body}
    </Paper>
  );
}
