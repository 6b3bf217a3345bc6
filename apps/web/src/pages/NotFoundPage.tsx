import { Anchor, Stack, Text, Title } from '@mantine/core';
import { Link } from 'react-router';

export function NotFoundPage() {
  return (
    <Stack gap="xs">
      <Title order={2}>Page not found</Title>
      <Text size="sm">
        Nothing lives at this address.{' '}
        <Anchor component={Link} to="/">
          Back to the services
        </Anchor>
      </Text>
    </Stack>
  );
}
