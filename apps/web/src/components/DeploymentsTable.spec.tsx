import { act, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { DeploymentView } from '../api/types';
import { apiError, fakeFetch, page } from '../test/fakeApi';
import { deployment, member } from '../test/fixtures';
import { renderWithApi, testApi } from '../test/render';
import { DeploymentsTable } from './DeploymentsTable';

const ADA = '5f0c2a9e-0000-4000-8000-000000000001';
const GRACE = 'c0ffee00-0000-4000-8000-000000000009';
const GONE = 'a7d3e2f1-2222-4000-8000-000000000003';

const members = [
  member({ user_id: ADA, name: 'Ada Lovelace', email: 'ada@example.com' }),
  member({ user_id: GRACE, name: '', email: 'grace@example.com' }),
];

const deployments = [
  deployment({ id: '9b1e4c7a-1111-4000-8000-000000000002', service_id: 's1', started_by: ADA }),
  deployment({ id: '3c2d1e0f-3333-4000-8000-000000000004', service_id: 's1', started_by: GONE }),
  deployment({ id: '7a6b5c4d-4444-4000-8000-000000000005', service_id: 's1', started_by: GRACE }),
];

function renderTable(routes: Parameters<typeof fakeFetch>[0], shown: DeploymentView[]) {
  const fake = fakeFetch(routes);
  renderWithApi(
    <DeploymentsTable serviceId="s1" orgId="o1" deployments={shown} />,
    testApi(fake.fetch),
  );
  return fake;
}

/** The STARTED BY cell of each row. */
const startedBy = () =>
  screen.getAllByTestId('deployment-row').map((row) => {
    const cell = within(row).getAllByRole('cell')[3] as HTMLElement;
    return { text: cell.textContent, title: cell.querySelector('[title]')?.getAttribute('title') };
  });

describe('the deployments table, started by', () => {
  it('names each member (else their email), and shows the short id of a non-member', async () => {
    const { seen } = renderTable({ 'GET /v1/orgs/o1/members': page(members) }, deployments);
    await waitFor(() => expect(startedBy()[0]?.text).toBe('Ada Lovelace'));
    expect(startedBy()).toEqual([
      { text: 'Ada Lovelace', title: ADA },
      { text: 'a7d3e2f1', title: GONE },
      { text: 'grace@example.com', title: GRACE },
    ]);
    // One list for the whole table.
    expect(seen.map(({ method, path }) => `${method} ${path}`)).toEqual([
      'GET /v1/orgs/o1/members',
    ]);
  });

  it('shows short ids, without an error, when the members cannot be read', async () => {
    const { seen } = renderTable(
      { 'GET /v1/orgs/o1/members': apiError(500, 'internal_error', 'Something broke') },
      deployments,
    );
    await waitFor(() => expect(seen).toHaveLength(1));
    await act(() => new Promise<void>((resolve) => setTimeout(resolve, 100)));
    expect(startedBy()).toEqual([
      { text: '5f0c2a9e', title: ADA },
      { text: 'a7d3e2f1', title: GONE },
      { text: 'c0ffee00', title: GRACE },
    ]);
    expect(screen.queryByTestId('api-error')).toBeNull();
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('asks for no members while there is no deployment', async () => {
    const { seen } = renderTable({}, []);
    expect(screen.getByTestId('deployments-empty')).toBeTruthy();
    await act(() => new Promise<void>((resolve) => setTimeout(resolve, 100)));
    expect(seen).toHaveLength(0);
  });
});
