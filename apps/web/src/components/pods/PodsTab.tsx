import { AccordionChevron, ActionIcon, Code, EmptyState, Stack, Table, Text } from '@mantine/core';
import { Fragment, useState } from 'react';
import { useApi } from '../../api/context';
import { listPods } from '../../api/instances';
import type { PodView } from '../../api/types';
import { useQuery } from '../../api/useQuery';
import { formatTime, shortId } from '../../format';
import { ApiErrorAlert } from '../ApiErrorAlert';
import { CodeBlock } from '../CodeBlock';
import { LoadingRows } from '../LoadingRows';
import { RefreshBar } from '../RefreshBar';
import { PodStatusBadge } from '../StatusBadge';
import { PodLog } from './PodLog';

/** Instances come and go during a rollout; the list is read again this often. */
const POLL_MS = 10_000;
const COLUMNS = 7;

function PodsEmptyState({ serviceId }: { serviceId: string }) {
  const steps = [
    `slipway service deploy --id ${serviceId} --image IMAGE`,
    `slipway service scale --id ${serviceId} --instances 1`,
  ].join('\n');
  return (
    <EmptyState
      data-testid="pods-empty"
      title="No instances"
      description="The service has no running instance: deploy it, or scale it up if it is paused."
    >
      <CodeBlock code={steps} label="the commands that deploy or scale the service" />
    </EmptyState>
  );
}

interface PodRowProps {
  serviceId: string;
  pod: PodView;
  expanded: boolean;
  onToggle: () => void;
}

function PodRow({ serviceId, pod, expanded, onToggle }: PodRowProps) {
  const logId = `pod-log-${pod.name}`;
  return (
    <Fragment>
      <Table.Tr data-testid="pod-row">
        <Table.Td w={40}>
          <ActionIcon
            variant="subtle"
            color="gray"
            onClick={onToggle}
            aria-expanded={expanded}
            aria-controls={expanded ? logId : undefined}
            aria-label={`${expanded ? 'Hide' : 'Show'} the log of ${pod.name}`}
          >
            <AccordionChevron
              style={{
                transform: expanded ? 'none' : 'rotate(-90deg)',
                transition: 'transform 150ms',
              }}
            />
          </ActionIcon>
        </Table.Td>
        <Table.Td>
          <Code>{pod.name}</Code>
        </Table.Td>
        <Table.Td>
          <PodStatusBadge status={pod.status} />
          {pod.message ? (
            <Text size="xs" c="dimmed" mt={4} maw={280}>
              {pod.message}
            </Text>
          ) : null}
        </Table.Td>
        <Table.Td>{pod.ready ? 'yes' : 'no'}</Table.Td>
        <Table.Td>{pod.restarts}</Table.Td>
        <Table.Td>{formatTime(pod.started_at)}</Table.Td>
        <Table.Td>
          {pod.deployment_id ? (
            <Code title={pod.deployment_id}>{shortId(pod.deployment_id)}</Code>
          ) : (
            '—'
          )}
        </Table.Td>
      </Table.Tr>
      {expanded ? (
        <Table.Tr>
          <Table.Td colSpan={COLUMNS}>
            <PodLog serviceId={serviceId} pod={pod.name} id={logId} />
          </Table.Td>
        </Table.Tr>
      ) : null}
    </Fragment>
  );
}

/** The service's instances with their status; one at a time opens to follow its log. */
export function PodsTab({ serviceId }: { serviceId: string }) {
  const api = useApi();
  const pods = useQuery((signal) => listPods(api, serviceId, signal), [api, serviceId], {
    pollMs: POLL_MS,
  });
  const [expanded, setExpanded] = useState<string>();

  let body;
  if (pods.state.status === 'loading') {
    body = <LoadingRows what="the instances" rows={3} rowHeight={44} />;
  } else if (pods.state.status === 'error') {
    body = <ApiErrorAlert error={pods.state.error} title="The instances could not be loaded" />;
  } else if (pods.state.data.length === 0) {
    body = <PodsEmptyState serviceId={serviceId} />;
  } else {
    body = (
      <Table.ScrollContainer minWidth={800}>
        <Table data-testid="pods-table" verticalSpacing="xs">
          <Table.Thead>
            <Table.Tr>
              <Table.Th aria-label="Log" />
              <Table.Th>NAME</Table.Th>
              <Table.Th>STATUS</Table.Th>
              <Table.Th>READY</Table.Th>
              <Table.Th>RESTARTS</Table.Th>
              <Table.Th>STARTED AT</Table.Th>
              <Table.Th>DEPLOYMENT</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {pods.state.data.map((pod) => (
              <PodRow
                key={pod.name}
                serviceId={serviceId}
                pod={pod}
                expanded={expanded === pod.name}
                onToggle={() => setExpanded(expanded === pod.name ? undefined : pod.name)}
              />
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    );
  }

  return (
    <Stack gap="sm">
      <RefreshBar query={pods} />
      {body}
    </Stack>
  );
}
