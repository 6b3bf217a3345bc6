import { EmptyState, Stack, Text } from '@mantine/core';
import { CodeBlock } from './CodeBlock';

/** What to do in a project without services: the CLI steps that make the first one. */
export function ServicesEmptyState({ projectId }: { projectId: string }) {
  const steps = [
    `slipway project set --id ${projectId}`,
    'slipway service create --name my-api',
    'slipway service deploy --name my-api --source .',
  ].join('\n');
  return (
    <EmptyState
      data-testid="services-empty"
      title="No services in this project yet"
      description="Deploy an image with Add new deployment above, or create a service and deploy a directory with a Dockerfile from your terminal:"
    >
      <Stack gap="xs" mt="md" w="100%" maw={560} ta="left">
        <CodeBlock code={steps} label="the commands that create and deploy a service" />
        <Text size="xs" c="dimmed">
          It appears here with its hostname as soon as it is created.
        </Text>
      </Stack>
    </EmptyState>
  );
}
