import { Anchor, AppShell, Button, Container, Group, Stack } from '@mantine/core';
import { useState, type ReactNode } from 'react';
import { Link } from 'react-router';
import { useApi } from '../api/context';
import { closeSession } from '../api/endpoints';
import { toApiError, type ApiError } from '../api/errors';
import type { Selection } from '../selection';
import { ApiErrorAlert } from './ApiErrorAlert';
import { OrgProjectSwitcher } from './OrgProjectSwitcher';

interface AppLayoutProps {
  selection: Selection;
  onSelectionChange: (selection: Selection) => void;
  onSignedOut: () => void;
  children: ReactNode;
}

/** The signed-in frame: the name, the organization and project pickers, sign-out. */
export function AppLayout({ selection, onSelectionChange, onSignedOut, children }: AppLayoutProps) {
  const api = useApi();
  const [signingOut, setSigningOut] = useState(false);
  const [error, setError] = useState<ApiError>();

  const signOut = async () => {
    setSigningOut(true);
    setError(undefined);
    try {
      await closeSession(api);
      onSignedOut();
    } catch (caught) {
      const failure = toApiError(caught);
      // A session that already ended is as good as closed.
      if (failure.status === 401) onSignedOut();
      else setError(failure);
    } finally {
      setSigningOut(false);
    }
  };

  return (
    <AppShell header={{ height: 60 }} padding="md">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="lg" wrap="nowrap">
            <Anchor component={Link} to="/" fw={700} size="lg" underline="never" c="inherit">
              Slipway
            </Anchor>
            <OrgProjectSwitcher selection={selection} onChange={onSelectionChange} />
          </Group>
          <Button
            variant="default"
            size="xs"
            loading={signingOut}
            onClick={() => void signOut()}
            data-testid="sign-out"
            aria-label="Sign out"
          >
            Sign out
          </Button>
        </Group>
      </AppShell.Header>
      <AppShell.Main>
        <Container size="xl">
          <Stack gap="md">
            {error ? <ApiErrorAlert error={error} title="Signing out failed" /> : null}
            {children}
          </Stack>
        </Container>
      </AppShell.Main>
    </AppShell>
  );
}
