import { Center, Loader } from '@mantine/core';
import { lazy, Suspense, useCallback, useEffect, useState } from 'react';
import { Route, Routes } from 'react-router';
import { createApi, type ApiOptions } from './api/client';
import { ApiProvider } from './api/context';
import { currentSession } from './api/endpoints';
import { toApiError, type ApiError } from './api/errors';
import { AppLayout } from './components/AppLayout';
import { NotFoundPage } from './pages/NotFoundPage';
import { ServicePageSkeleton } from './pages/ServicePageSkeleton';
import { ServicesPage } from './pages/ServicesPage';
import { SignInPage } from './pages/SignInPage';
import { SelectionContext, loadSelection, saveSelection, type Selection } from './selection';

// A service's page (its tabs, actions and logs) loads when one is first opened.
const ServicePage = lazy(() =>
  import('./pages/ServicePage').then(({ ServicePage }) => ({ default: ServicePage })),
);

type SessionState =
  | { status: 'checking' }
  | { status: 'signed-out'; notice?: string; error?: ApiError }
  | { status: 'signed-in' };

/** The dashboard: the session decides between the sign-in page and the app. */
export function App({ apiOptions }: { apiOptions?: Omit<ApiOptions, 'onUnauthorized'> }) {
  const [session, setSession] = useState<SessionState>({ status: 'checking' });
  const [api] = useState(() =>
    createApi({
      ...apiOptions,
      onUnauthorized: () => setSession({ status: 'signed-out', notice: 'Your session ended.' }),
    }),
  );
  const [selection, setSelection] = useState<Selection>(loadSelection);

  useEffect(() => {
    let current = true;
    currentSession(api).then(
      () => {
        if (current) setSession({ status: 'signed-in' });
      },
      (caught: unknown) => {
        if (!current) return;
        const error = toApiError(caught);
        // 401: no session (or it ended); anything else is worth showing.
        setSession(
          error.status === 401 ? { status: 'signed-out' } : { status: 'signed-out', error },
        );
      },
    );
    return () => {
      current = false;
    };
  }, [api]);

  const changeSelection = useCallback((next: Selection) => {
    setSelection(next);
    saveSelection(next);
  }, []);
  const signedIn = useCallback(() => setSession({ status: 'signed-in' }), []);
  const signedOut = useCallback(() => {
    api.csrf.set(undefined);
    setSession({ status: 'signed-out' });
  }, [api]);

  let content;
  if (session.status === 'checking') {
    content = (
      <Center mih="100vh">
        <Loader aria-label="Checking the session" />
      </Center>
    );
  } else if (session.status === 'signed-out') {
    content = (
      <SignInPage onSignedIn={signedIn} notice={session.notice} initialError={session.error} />
    );
  } else {
    content = (
      <SelectionContext.Provider value={selection}>
        <AppLayout
          selection={selection}
          onSelectionChange={changeSelection}
          onSignedOut={signedOut}
        >
          <Routes>
            <Route path="/" element={<ServicesPage />} />
            <Route
              path="/services/:id"
              element={
                <Suspense fallback={<ServicePageSkeleton />}>
                  <ServicePage />
                </Suspense>
              }
            />
            <Route path="*" element={<NotFoundPage />} />
          </Routes>
        </AppLayout>
      </SelectionContext.Provider>
    );
  }
  return <ApiProvider api={api}>{content}</ApiProvider>;
}
