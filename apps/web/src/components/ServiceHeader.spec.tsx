import { act, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { apiError, fakeFetch, never, page } from '../test/fakeApi';
import { deployment, member, service } from '../test/fixtures';
import { renderWithApi, testApi } from '../test/render';
import { ServiceHeader } from './ServiceHeader';

const ADA = '5f0c2a9e-0000-4000-8000-000000000001';
const GONE = 'a7d3e2f1-2222-4000-8000-000000000003';

const members = [
  member({ user_id: ADA, name: 'Ada Lovelace', email: 'ada@example.com' }),
  member({ user_id: 'c0ffee00-0000-4000-8000-000000000009', name: 'Grace Hopper' }),
];

function renderHeader(routes: Parameters<typeof fakeFetch>[0], startedBy = ADA) {
  const fake = fakeFetch(routes);
  renderWithApi(
    <ServiceHeader
      service={service({ id: 's1', name: 'hello', org_id: 'o1' })}
      latest={deployment({
        id: '9b1e4c7a-1111-4000-8000-000000000002',
        service_id: 's1',
        started_by: startedBy,
      })}
    />,
    testApi(fake.fetch),
  );
  return fake;
}

const deployedBy = () => screen.getByTestId('service-deployed-by');

/** Lets an answer that changes nothing on screen be read and handled. */
const settle = () => act(() => new Promise<void>((resolve) => setTimeout(resolve, 100)));

describe('the service header, deployed by', () => {
  it("names the member of the service's organization, with the user id on hover", async () => {
    const { seen } = renderHeader({ 'GET /v1/orgs/o1/members': page(members) });
    await waitFor(() => expect(deployedBy().textContent).toBe('Ada Lovelace'));
    expect(screen.getByTitle(ADA).textContent).toBe('Ada Lovelace');
    expect(seen.map(({ method, path }) => `${method} ${path}`)).toEqual([
      'GET /v1/orgs/o1/members',
    ]);
    expect(seen[0]?.query.get('per_page')).toBe('100');
  });

  it('shows the email of a member without a name', async () => {
    renderHeader({
      'GET /v1/orgs/o1/members': page([
        member({ user_id: ADA, name: ' ', email: 'ada@example.com' }),
      ]),
    });
    await waitFor(() => expect(deployedBy().textContent).toBe('ada@example.com'));
  });

  it('shows the short id of someone who is not (or no longer) a member', async () => {
    const { seen } = renderHeader({ 'GET /v1/orgs/o1/members': page(members) }, GONE);
    await waitFor(() => expect(seen).toHaveLength(1));
    await settle(); // once the list has arrived, not only while it loads
    expect(deployedBy().textContent).toBe('a7d3e2f1');
    expect(screen.getByTitle(GONE).textContent).toBe('a7d3e2f1');
  });

  it('shows the short id while the members load', () => {
    renderHeader({ 'GET /v1/orgs/o1/members': never });
    expect(deployedBy().textContent).toBe('5f0c2a9e');
    expect(screen.getByTitle(ADA)).toBeTruthy();
  });

  it('falls back to the short id, without an error, when the members cannot be read', async () => {
    const { seen } = renderHeader({
      'GET /v1/orgs/o1/members': apiError(403, 'forbidden', 'Not allowed'),
    });
    await waitFor(() => expect(seen).toHaveLength(1));
    await settle();
    expect(deployedBy().textContent).toBe('5f0c2a9e');
    expect(screen.getByTitle(ADA).textContent).toBe('5f0c2a9e');
    expect(screen.queryByTestId('api-error')).toBeNull();
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('asks for no members before the service was ever deployed', async () => {
    const fake = fakeFetch({});
    renderWithApi(
      <ServiceHeader service={service({ id: 's1', name: 'hello' })} latest={undefined} />,
      testApi(fake.fetch),
    );
    await settle();
    expect(deployedBy().textContent).toBe('not deployed yet');
    expect(fake.seen).toHaveLength(0);
  });
});
