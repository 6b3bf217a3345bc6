import { Button, Center, Paper, PasswordInput, Stack, Text, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useApi } from '../api/context';
import { openSession } from '../api/endpoints';
import { toApiError, type ApiError } from '../api/errors';
import { ApiErrorAlert } from '../components/ApiErrorAlert';

interface SignInPageProps {
  onSignedIn: () => void;
  /** Why the user is here again (the session ended), if that is the reason. */
  notice?: string;
  /** An error met before the form was shown (the API did not answer the session check). */
  initialError?: ApiError;
}

/**
 * A Personal Access Token is exchanged for an HttpOnly session cookie. The token lives only
 * in this form's state until it is sent, and the field is emptied as soon as it is.
 */
export function SignInPage({ onSignedIn, notice, initialError }: SignInPageProps) {
  const api = useApi();
  const [token, setToken] = useState('');
  const [missing, setMissing] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | undefined>(initialError);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const value = token.trim();
    setToken('');
    setError(undefined);
    if (value === '') {
      setMissing(true);
      return;
    }
    setMissing(false);
    setBusy(true);
    try {
      await openSession(api, value);
      onSignedIn();
    } catch (caught) {
      setError(toApiError(caught));
      setBusy(false);
    }
  };

  return (
    <Center mih="100vh" p="md">
      <Paper withBorder shadow="sm" p="xl" radius="md" w={420}>
        <form onSubmit={(event) => void submit(event)} aria-label="Sign in">
          <Stack gap="md">
            <Title order={2}>Sign in to Slipway</Title>
            <Text size="sm" c="dimmed">
              Paste a Personal Access Token. It is exchanged for a browser session and not kept.
            </Text>
            {notice ? <Text size="sm">{notice}</Text> : null}
            {error ? <ApiErrorAlert error={error} title="Signing in failed" /> : null}
            <PasswordInput
              label="Personal Access Token"
              placeholder="slp_pat_…"
              autoComplete="off"
              spellCheck={false}
              data-testid="token-input"
              value={token}
              error={missing ? 'Paste a token first' : undefined}
              onChange={(event) => setToken(event.currentTarget.value)}
              visibilityToggleButtonProps={{ 'aria-label': 'Show or hide the token' }}
            />
            <Button type="submit" loading={busy} data-testid="sign-in">
              Sign in
            </Button>
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}
