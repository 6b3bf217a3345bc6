import { Button, Code, Popover, Stack, Table, Text } from '@mantine/core';
import type { DeploymentView, EnvVarView } from '../api/types';
import { formatTime, shortId } from '../format';
import { DeploymentStatusBadge } from './StatusBadge';

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

interface DeploymentsTableProps {
  deployments: DeploymentView[];
  /**
   * Offered on each row with an image to restore, except the newest: that one is what
   * Redeploy repeats.
   */
  onRollback?: (deployment: DeploymentView) => void;
}

export function DeploymentsTable({ deployments, onRollback }: DeploymentsTableProps) {
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
          {deployments.map((deployment, index) => (
            <Table.Tr key={deployment.id} data-testid="deployment-row">
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
                <Code title={deployment.started_by}>{shortId(deployment.started_by)}</Code>
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
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
