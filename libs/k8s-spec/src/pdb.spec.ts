import { renderPodDisruptionBudget } from './pdb';
import type { ServiceSpec } from './service-spec';
import { expectValid, setup } from './test-support/setup';

function pdbFor(overrides: Partial<ServiceSpec>) {
  const { spec, names } = setup(overrides);
  return renderPodDisruptionBudget(spec, names);
}

describe('renderPodDisruptionBudget', () => {
  it.each([
    ['one fixed instance', { replicas: 1 }],
    ['no replicas given (one)', {}],
    ['paused (zero)', { replicas: 0 }],
    ['scale-to-zero', { autoscaling: { minReplicas: 0, maxReplicas: 5 } }],
    ['autoscaling pinned at one', { autoscaling: { minReplicas: 1, maxReplicas: 1 } }],
  ])('is not rendered for %s', (_case, overrides: Partial<ServiceSpec>) => {
    expect(pdbFor(overrides)).toBeUndefined();
  });

  it.each([
    ['two fixed instances', { replicas: 2 }],
    ['autoscaling 1..3', { autoscaling: { minReplicas: 1, maxReplicas: 3 } }],
  ])(
    'allows one voluntary disruption at a time for %s',
    (_case, overrides: Partial<ServiceSpec>) => {
      const pdb = expectValid(pdbFor(overrides));
      expect(pdb?.spec).toEqual({
        maxUnavailable: 1,
        selector: { matchLabels: { 'slipway.dev/service-id': 'svc-0001' } },
        unhealthyPodEvictionPolicy: 'AlwaysAllow',
      });
    },
  );

  it('matches the snapshot', () => {
    expect(pdbFor({ replicas: 3 })).toMatchSnapshot();
  });
});
