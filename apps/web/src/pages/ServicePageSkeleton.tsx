import { Anchor, Skeleton, Stack } from '@mantine/core';
import { Link } from 'react-router';

export const BackToServices = () => (
  <Anchor component={Link} to="/" size="sm">
    ← Services
  </Anchor>
);

/**
 * The service page's shape while it loads: the same whether its code or its data is on the
 * way, so nothing jumps between the two.
 */
export function ServicePageSkeleton() {
  return (
    <Stack aria-busy="true" aria-label="Loading the service">
      <BackToServices />
      <Skeleton height={190} radius="md" />
      <Skeleton height={36} radius="sm" />
      <Skeleton height={240} radius="sm" />
    </Stack>
  );
}
