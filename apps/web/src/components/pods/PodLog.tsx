import { Button, Group, Stack, Text } from '@mantine/core';
import { useApi } from '../../api/context';
import { openPodLog } from '../../api/instances';
import { useFollowedLines, type FollowedLines } from '../../api/useFollowedLines';
import { ApiErrorAlert } from '../ApiErrorAlert';
import { LogLines, lineCountText } from '../LogLines';

/** Lines kept on screen; older ones are let go so a chatty instance cannot exhaust the tab. */
const KEPT_LINES = 5000;

/** Said once per change of phase (a live region), so it carries no running count. */
function phaseText({ phase, lines, dropped }: FollowedLines): string {
  switch (phase) {
    case 'connecting':
      return 'Connecting to the log…';
    case 'following':
      return 'Following: new lines appear as they are written.';
    case 'ended':
      return lines.length === 0 && dropped === 0
        ? 'This instance has written no log lines.'
        : 'The log ended (the instance stopped or the connection closed).';
    case 'failed':
      return 'The log could not be followed.';
  }
}

interface PodLogProps {
  serviceId: string;
  pod: string;
  /** The element id the expanding button points at (aria-controls). */
  id: string;
}

/** An instance's live log: the last 1000 lines, then follows until it is collapsed. */
export function PodLog({ serviceId, pod, id }: PodLogProps) {
  const api = useApi();
  const log = useFollowedLines(
    (signal) => openPodLog(api, serviceId, pod, signal),
    [api, serviceId, pod],
    KEPT_LINES,
  );
  return (
    <Stack gap="xs" id={id}>
      <Group justify="space-between" wrap="nowrap">
        <Text size="xs" c="dimmed" role="status" data-testid="pod-log-phase">
          {phaseText(log)}
        </Text>
        <Group gap="xs" wrap="nowrap">
          <Text size="xs" c="dimmed" data-testid="pod-log-count">
            {lineCountText(log)}
          </Text>
          {log.phase === 'ended' || log.phase === 'failed' ? (
            <Button size="compact-xs" variant="light" onClick={log.reconnect}>
              Reconnect
            </Button>
          ) : null}
        </Group>
      </Group>
      {log.error ? <ApiErrorAlert error={log.error} title="The log could not be read" /> : null}
      <LogLines lines={log.lines} label={`Log of ${pod}`} testId="pod-log" />
    </Stack>
  );
}
