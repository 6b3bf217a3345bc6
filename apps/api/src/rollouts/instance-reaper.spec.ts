import { type OwnedInstance } from '../runtime/runtime-driver';
import { isOrphan } from './instance-reaper';

const NOW = Date.parse('2026-12-06T12:00:00Z');
const CUTOFF = NOW - 70_000;
const LIVE = 'dep-live';

const owners = {
  services: new Set(['svc']),
  routes: new Map([['svc', { deploymentId: LIVE, hosts: new Set(['172.18.0.5']) }]]),
  deployments: new Map([
    [LIVE, 'succeeded' as const],
    ['dep-next', 'deploying' as const],
    ['dep-failed', 'deployment_failed' as const],
  ]),
};

function instance(overrides: Partial<OwnedInstance>): OwnedInstance {
  return {
    id: 'c1',
    serviceId: 'svc',
    deploymentId: LIVE,
    address: null,
    setAsideAt: null,
    createdAt: new Date(NOW - 3_600_000),
    ...overrides,
  };
}

describe('isOrphan', () => {
  it.each([
    ['of a deleted service', { serviceId: 'gone' }],
    ['set aside before the cutoff (its retire job was lost)', { setAsideAt: new Date(CUTOFF - 1) }],
    ['of a deployment that failed, long ago', { deploymentId: 'dep-failed' }],
    ['of a deployment the database never heard of', { deploymentId: 'dep-unknown' }],
  ])('reaps an instance %s', (_why, overrides) => {
    expect(isOrphan(instance(overrides), owners, CUTOFF)).toBe(true);
  });

  it.each([
    ['of the live deployment, paused or running', {}],
    [
      'the route lists, whatever it belongs to',
      { deploymentId: 'dep-failed', address: '172.18.0.5' },
    ],
    ['set aside after the cutoff (still draining)', { setAsideAt: new Date(CUTOFF + 1) }],
    ['of a rollout in progress', { deploymentId: 'dep-next' }],
    [
      'of a failed deployment, created after the cutoff',
      { deploymentId: 'dep-failed', createdAt: new Date(NOW) },
    ],
  ])('spares an instance %s', (_why, overrides) => {
    expect(isOrphan(instance(overrides), owners, CUTOFF)).toBe(false);
  });
});
