import { Button, Group, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import type { Query } from '../api/useQuery';
import { formatTime } from '../format';

interface RefreshBarProps {
  query: Pick<Query<unknown>, 'settledAt' | 'reloadError' | 'reload'>;
  /** The view's own controls (filters, a window), on the left. */
  children?: ReactNode;
}

/**
 * A view's controls, with when its data was read (or why reading it again failed) and a
 * button to read it again.
 */
export function RefreshBar({ query, children }: RefreshBarProps) {
  const updated = query.settledAt ? formatTime(new Date(query.settledAt).toISOString()) : '';
  return (
    <Group justify="space-between" align="flex-end" gap="sm">
      {children ?? <span />}
      <Group gap="xs" align="center" wrap="nowrap">
        {query.reloadError ? (
          <Text size="xs" c="red" role="alert" data-testid="reload-error">
            Could not refresh: {query.reloadError.message}
          </Text>
        ) : (
          <Text size="xs" c="dimmed" data-testid="updated-at">
            {updated ? `Updated ${updated}` : ''}
          </Text>
        )}
        <Button variant="default" size="xs" onClick={query.reload}>
          Refresh
        </Button>
      </Group>
    </Group>
  );
}
