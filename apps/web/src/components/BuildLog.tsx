import { Button, Group, Stack, Text } from '@mantine/core';
import { openBuildLog } from '../api/buildLog';
import { useApi } from '../api/context';
import type { DeploymentView } from '../api/types';
import { useFollowedLines, type FollowedLines } from '../api/useFollowedLines';
import { shortId } from '../format';
import { ApiErrorAlert } from './ApiErrorAlert';
import { LogLines, lineCountText } from './LogLines';

/** Lines kept on screen; a long build lets its oldest go rather than exhaust the tab. */
const KEPT_LINES = 5000;

/** Said once per change of phase (a live region), so it carries no running count. */
function phaseText({ phase, lines }: FollowedLines, building: boolean): string {
  switch (phase) {
    case 'connecting':
      return 'Connecting to the build log…';
    case 'following':
      return building
        ? 'Following: new lines appear as the build writes them.'
        : 'Reading the build log…';
    case 'ended':
      if (building) return 'The log stopped while the build is still running.';
      return lines.length === 0 ? 'This build wrote no log lines.' : 'The build log is complete.';
    case 'failed':
      return 'The build log could not be read.';
  }
}

interface BuildLogProps {
  serviceId: string;
  deployment: DeploymentView;
  /** The element id the expanding button points at (aria-controls). */
  id: string;
}

/** A deployment's build log: what was written so far, then new lines until the build ends. */
export function BuildLog({ serviceId, deployment, id }: BuildLogProps) {
  const api = useApi();
  const log = useFollowedLines(
    (signal) => openBuildLog(api, serviceId, deployment.id, signal),
    [api, serviceId, deployment.id],
    KEPT_LINES,
  );
  const building = deployment.status === 'building';
  const stopped = log.phase === 'ended' || log.phase === 'failed';

  return (
    <Stack gap="xs" id={id}>
      <Group justify="space-between" wrap="nowrap">
        <Text size="xs" c="dimmed" role="status" data-testid="build-log-phase">
          {phaseText(log, building)}
        </Text>
        <Group gap="xs" wrap="nowrap">
          <Text size="xs" c="dimmed">
            {lineCountText(log)}
          </Text>
          {stopped && (building || log.phase === 'failed') ? (
            <Button size="compact-xs" variant="light" onClick={log.reconnect}>
              Reconnect
            </Button>
          ) : null}
        </Group>
      </Group>
      {log.error ? (
        <ApiErrorAlert error={log.error} title="The build log could not be read" />
      ) : null}
      <LogLines
        lines={log.lines}
        label={`Build log of deployment ${shortId(deployment.id)}`}
        testId="build-log"
        height={300}
      />
    </Stack>
  );
}
