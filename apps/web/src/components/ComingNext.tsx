import { Text } from '@mantine/core';

export function ComingNext({ what }: { what: string }) {
  return (
    <Text size="sm" c="dimmed">
      {what}: coming next.
    </Text>
  );
}
