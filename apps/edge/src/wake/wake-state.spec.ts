import type { Route } from '../routing/route-table';
import { wakeStateOf } from './wake-state';

function route(overrides: Partial<Route> = {}): Route {
  return {
    serviceId: 'svc-1',
    orgId: 'org-1',
    projectId: 'project-1',
    hostnames: ['web.localhost'],
    accessType: 'public',
    endpoints: [],
    paused: false,
    sleeping: true,
    wakeFailure: null,
    deployed: true,
    version: 1,
    ...overrides,
  };
}

describe('wakeStateOf', () => {
  it('holds and wakes a sleeping service', () => {
    expect(wakeStateOf(route(), false)).toEqual({ kind: 'hold', wake: true });
  });

  it('answers with the reason while the last wake failed', () => {
    expect(wakeStateOf(route({ wakeFailure: 'no capacity' }), false)).toEqual({
      kind: 'failed',
      reason: 'no capacity',
    });
  });

  it('proxies once instances are ready, and holds (without a wake) until they are', () => {
    const endpoints = [{ host: '10.0.0.1', port: 80 }];
    expect(wakeStateOf(route({ sleeping: false, endpoints }), false)).toEqual({
      kind: 'awake',
      endpoints,
    });
    expect(wakeStateOf(route({ sleeping: false }), false)).toEqual({ kind: 'hold', wake: false });
  });

  it.each([
    ['paused', route({ sleeping: false, paused: true }), /paused/],
    ['never deployed', route({ deployed: false }), /no successful deployment/],
    ['deleted', undefined, /was deleted/],
  ])('refuses a service %s', (_name, given, message) => {
    const state = wakeStateOf(given, given === undefined);
    expect(state.kind).toBe('refused');
    expect(state.kind === 'refused' && state.error.message).toMatch(message);
  });
});
