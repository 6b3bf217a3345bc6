import {
  AccordionChevron,
  ActionIcon,
  Button,
  Code,
  Popover,
  Stack,
  Table,
  Text,
} from '@mantine/core';
import { Fragment, useState } from 'react';
import type { DeploymentView, EnvVarView } from '../api/types';
import { useMembers } from '../api/useMembers';
import { formatTime, shortId } from '../format';
import { BuildLog } from './BuildLog';
import { DeploymentStatusBadge } from './StatusBadge';
import { UserName } from './UserName';

function EnvVars({ deployment }: { deployment: DeploymentView }) {
  const env: EnvVarView[] = deployment.env;
  if (env.length === 0) return <Text size="sm">0</Text>;
  const secrets = env.filter((variable) => variable.secret).length;
  return (
    <Popover width={360} position="bottom-start" withArrow shadow="md">
      <Popover.Target>
        <Button
          size="compact-sm"
          variant="subtle"
          aria-label={`Show the ${env.length} environment variables of deployment ${shortId(deployment.id)}`}
        >
          {env.length}
          {secrets > 0 ? ` (${secrets} secret)` : ''}
        </Button>
      </Popover.Target>
      <Popover.Dropdown>
        <Stack gap={4}>
          {env.map((variable) => (
            // Secret values arrive masked ("********") from the API and are shown as they are.
            <Code key={variable.name}>
              {variable.name}={variable.value}
            </Code>
          ))}
        </Stack>
      </Popover.Dropdown>
    </Popover>
  );
}

const limits = ({ resources }: DeploymentView): string =>
  `${resources.limits.cpu} CPU · ${resources.limits.memory}`;

/**
 * Which row shows its build log: the newest building deployment until the reader chooses
 * (it stays open once its build ended), then the reader's choice.
 */
function useExpandedRow(deployments: DeploymentView[]) {
  const [chosen, setChosen] = useState<{ id: string | undefined }>();
  const [followed, setFollowed] = useState<string>();
  const building = deployments.find(({ status }) => status === 'building')?.id;
  // Adjusted while rendering, not in an effect, so the log opens with the row it belongs to.
  if (building !== undefined && building !== followed) setFollowed(building);
  const expanded = chosen ? chosen.id : (building ?? followed);
  const toggle = (id: string) => setChosen({ id: expanded === id ? undefined : id });
  return { expanded, toggle };
}

interface DeploymentsTableProps {
  serviceId: string;
  /** The service's organization, whose members name who started each deployment. */
  orgId: string;
  deployments: DeploymentView[];
  /**
   * Offered on each row with an image to restore, except the newest: that one is what
   * Redeploy repeats.
   */
  onRollback?: (deployment: DeploymentView) => void;
}

export function DeploymentsTable(props: DeploymentsTableProps) {
  const { serviceId, orgId, deployments, onRollback } = props;
  const { expanded, toggle } = useExpandedRow(deployments);
  const members = useMembers(deployments.length > 0 ? orgId : undefined);
  if (deployments.length === 0) {
    return (
      <Text size="sm" c="dimmed" data-testid="deployments-empty">
        No deployment yet.
      </Text>
    );
  }
  return (
    <Table.ScrollContainer minWidth={800}>
      <Table striped highlightOnHover data-testid="deployments-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th aria-label="Build log" />
            <Table.Th>ID</Table.Th>
            <Table.Th>STATUS</Table.Th>
            <Table.Th>STARTED BY</Table.Th>
            <Table.Th>STARTED AT</Table.Th>
            <Table.Th>ENDED AT</Table.Th>
            <Table.Th>RESOURCES</Table.Th>
            <Table.Th>ENV VARS</Table.Th>
            {onRollback ? <Table.Th aria-label="Actions" /> : null}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {deployments.map((deployment, index) => {
            const open = expanded === deployment.id;
            const logId = `build-log-${deployment.id}`;
            return (
              <Fragment key={deployment.id}>
                <Table.Tr data-testid="deployment-row">
                  <Table.Td w={40}>
                    <ActionIcon
                      variant="subtle"
                      color="gray"
                      onClick={() => toggle(deployment.id)}
                      aria-expanded={open}
                      aria-controls={open ? logId : undefined}
                      aria-label={`${open ? 'Hide' : 'Show'} the build log of deployment ${shortId(deployment.id)}`}
                    >
                      <AccordionChevron
                        style={{
                          transform: open ? 'none' : 'rotate(-90deg)',
                          transition: 'transform 150ms',
                        }}
                      />
                    </ActionIcon>
                  </Table.Td>
                  <Table.Td>
                    <Code title={deployment.id}>{shortId(deployment.id)}</Code>
                  </Table.Td>
                  <Table.Td>
                    <DeploymentStatusBadge status={deployment.status} />
                    {deployment.failure_reason ? (
                      <Text size="xs" c="red" mt={4} maw={280}>
                        {deployment.failure_reason}
                      </Text>
                    ) : null}
                  </Table.Td>
                  <Table.Td>
                    <UserName userId={deployment.started_by} members={members} />
                  </Table.Td>
                  <Table.Td>{formatTime(deployment.started_at)}</Table.Td>
                  <Table.Td>{formatTime(deployment.ended_at)}</Table.Td>
                  <Table.Td>{limits(deployment)}</Table.Td>
                  <Table.Td>
                    <EnvVars deployment={deployment} />
                  </Table.Td>
                  {onRollback ? (
                    <Table.Td>
                      {index > 0 && deployment.image !== null ? (
                        <Button
                          size="compact-sm"
                          variant="light"
                          onClick={() => onRollback(deployment)}
                          aria-label={`Roll back to deployment ${shortId(deployment.id)}`}
                        >
                          Roll back
                        </Button>
                      ) : null}
                    </Table.Td>
                  ) : null}
                </Table.Tr>
                {open ? (
                  <Table.Tr>
                    <Table.Td colSpan={onRollback ? 9 : 8}>
                      <BuildLog serviceId={serviceId} deployment={deployment} id={logId} />
                    </Table.Td>
                  </Table.Tr>
                ) : null}
              </Fragment>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
