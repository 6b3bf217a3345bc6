import type { Route } from '../routing/route-table';
import { ENDPOINT_KEY_SEPARATOR, routeMaps, serviceState } from './maps';

function route(overrides: Partial<Route> = {}): Route {
  return {
    serviceId: 'svc-1',
    orgId: 'org-1',
    projectId: 'project-1',
    hostnames: ['web.localhost'],
    accessType: 'private',
    endpoints: [{ host: '10.0.0.1', port: 8080 }],
    paused: false,
    sleeping: false,
    wakeFailure: null,
    deployed: true,
    version: 1,
    ...overrides,
  };
}

describe('serviceState', () => {
  it.each([
    ['ready', route()],
    ['paused', route({ paused: true, endpoints: [] })],
    ['sleeping', route({ sleeping: true, endpoints: [] })],
    ['sleeping', route({ sleeping: true, endpoints: [], wakeFailure: 'no capacity' })],
    ['not_deployed', route({ deployed: false, endpoints: [] })],
    ['not_deployed', route({ deployed: false, sleeping: true, endpoints: [] })],
  ])('is %s', (state, given) => {
    expect(serviceState(given)).toBe(state);
  });
});

describe('routeMaps', () => {
  it('sends a sleeping service to the agent with no endpoint, not as paused', () => {
    const maps = routeMaps([
      route({ sleeping: true, endpoints: [{ host: '10.0.0.9', port: 80 }] }),
    ]);
    expect(maps.services.get('svc-1')).toBe('private|org-1|project-1|sleeping|0');
    expect(maps.endpoints.has(`svc-1${ENDPOINT_KEY_SEPARATOR}0`)).toBe(false);
    expect(maps.hosts.get('web.localhost')).toBe('svc-1');
  });

  it('lists an awake service with its ready count and endpoints', () => {
    const maps = routeMaps([route()]);
    expect(maps.services.get('svc-1')).toBe('private|org-1|project-1|ready|1');
    expect(maps.endpoints.get(`svc-1${ENDPOINT_KEY_SEPARATOR}0`)).toBe('10.0.0.1/8080');
  });
});
