import { MantineProvider } from '@mantine/core';
import { render, type RenderResult } from '@testing-library/react';
import type { ReactNode } from 'react';
import { MemoryRouter } from 'react-router';
import { createApi, type Api } from '../api/client';
import { ApiProvider } from '../api/context';
import { createCsrfStore } from '../api/csrf';
import { theme } from '../theme';

export function renderWithRouter(ui: ReactNode, route = '/'): RenderResult {
  return render(
    // env="test": no transitions and no portals, so dropdowns open at once and in place.
    <MantineProvider theme={theme} env="test">
      <MemoryRouter initialEntries={[route]}>{ui}</MemoryRouter>
    </MantineProvider>,
  );
}

/** An Api over a fake fetch, with an in-memory CSRF store. */
export const testApi = (fetch: (request: Request) => Promise<Response>): Api =>
  createApi({ baseUrl: 'http://localhost:3000', fetch, csrf: createCsrfStore(undefined) });

export function renderWithApi(ui: ReactNode, api: Api, route = '/'): RenderResult {
  return renderWithRouter(<ApiProvider api={api}>{ui}</ApiProvider>, route);
}
