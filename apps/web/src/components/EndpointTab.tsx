import { Alert, Code, Stack, Text, Title } from '@mantine/core';
import type { ServiceView } from '../api/types';
import { CodeBlock } from './CodeBlock';
import {
  ACCESS_KEY_VARIABLE,
  curlSnippet,
  pythonSnippet,
  type EndpointTarget,
} from './endpointSnippets';

/** Ready-to-copy calls to the service's hostname, with the Access Key when it is private. */
export function EndpointTab({ service }: { service: ServiceView }) {
  const target: EndpointTarget = {
    hostname: service.hostname,
    accessType: service.access_control.access_type,
  };
  const isPrivate = target.accessType === 'private';
  return (
    <Stack gap="md">
      {isPrivate ? (
        <Alert color="blue" variant="light" title="This service is private">
          <Text size="sm">
            Callers need an Access Key of this project or organization as a Bearer token. Create one
            with <Code>slipway access-key create --name my-laptop</Code> (it is shown once), then{' '}
            <Code>export {ACCESS_KEY_VARIABLE}=slp_ak_…</Code>
          </Text>
        </Alert>
      ) : (
        <Text size="sm" c="dimmed">
          This service is public: anyone who knows its hostname can call it.
        </Text>
      )}
      <Title order={4}>Python</Title>
      <CodeBlock code={pythonSnippet(target)} label="the Python snippet" testId="python-snippet" />
      <Title order={4}>curl</Title>
      <CodeBlock code={curlSnippet(target)} label="the curl command" testId="curl-snippet" />
    </Stack>
  );
}
