import { type RouteRow, routeFromRow } from './route-source';

function row(overrides: Partial<RouteRow> = {}): RouteRow {
  return {
    service_id: 'svc-1',
    org_id: 'org-1',
    project_id: 'project-1',
    hostname: 'Web.localhost',
    domains: [],
    access_type: 'public',
    instances: 1,
    status: 'running',
    asleep: false,
    wake_failure: null,
    endpoints: [{ host: '10.0.0.1', port: 8080 }],
    version: '7',
    deployed: true,
    ...overrides,
  };
}

describe('routeFromRow (the snapshot read from PostgreSQL)', () => {
  it('reads a running service', () => {
    expect(routeFromRow(row())).toMatchObject({
      hostnames: ['web.localhost'],
      endpoints: [{ host: '10.0.0.1', port: 8080 }],
      paused: false,
      sleeping: false,
      wakeFailure: null,
      version: 7,
    });
  });

  it('reads 0 instances as paused', () => {
    expect(routeFromRow(row({ instances: 0, status: 'paused' }))).toMatchObject({
      paused: true,
      sleeping: false,
      endpoints: [],
    });
  });

  it('reads a sleeping service (0 instances) as asleep, not paused, with no endpoints', () => {
    const route = routeFromRow(
      row({ instances: 0, status: 'sleeping', asleep: true, endpoints: [] }),
    );
    expect(route).toMatchObject({
      paused: false,
      sleeping: true,
      wakeFailure: null,
      endpoints: [],
    });
  });

  it('reads why its last wake failed', () => {
    const route = routeFromRow(
      row({
        instances: 0,
        status: 'sleeping',
        asleep: true,
        wake_failure: 'image pull failed',
        endpoints: [],
      }),
    );
    expect(route).toMatchObject({
      sleeping: true,
      wakeFailure: 'image pull failed',
      endpoints: [],
    });
  });

  it('reads a waking service as asleep until an instance is ready', () => {
    expect(routeFromRow(row({ instances: null, status: 'waking', endpoints: [] }))).toMatchObject({
      sleeping: true,
      paused: false,
      wakeFailure: null,
    });
    expect(routeFromRow(row({ instances: 1, status: 'waking' }))).toMatchObject({
      sleeping: false,
      endpoints: [{ host: '10.0.0.1', port: 8080 }],
    });
  });

  it('keeps a sleeping service asleep while it is redeployed (its status reads deploying)', () => {
    expect(
      routeFromRow(row({ instances: 0, status: 'deploying', asleep: true, endpoints: [] })),
    ).toMatchObject({ sleeping: true, paused: false });
  });

  it('ignores a wake failure once the service is awake', () => {
    expect(routeFromRow(row({ wake_failure: 'old' })).wakeFailure).toBeNull();
  });
});
