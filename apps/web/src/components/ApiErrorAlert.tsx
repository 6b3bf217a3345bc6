import { Alert, Text } from '@mantine/core';
import type { ApiError } from '../api/errors';

/** An error in the platform's own words: its message, its code and the request id. */
export function ApiErrorAlert({ error, title }: { error: ApiError; title?: string }) {
  return (
    <Alert
      color="red"
      variant="light"
      title={title ?? 'The request failed'}
      data-testid="api-error"
    >
      <Text size="sm">{error.message}</Text>
      <Text size="xs" c="dimmed" mt={4}>
        {error.code}
        {error.status > 0 ? ` · HTTP ${error.status}` : ''}
        {error.requestId ? ` · request ${error.requestId}` : ''}
      </Text>
    </Alert>
  );
}
