import { DEFAULT_CPU_UTILIZATION, renderHorizontalPodAutoscaler } from './hpa';
import { Size } from './quantities';
import type { ServiceSpec } from './service-spec';
import { expectValid, setup } from './test-support/setup';

function hpaFor(overrides: Partial<ServiceSpec>) {
  const { spec, names, platform } = setup(overrides);
  return renderHorizontalPodAutoscaler(spec, names, platform);
}

describe('renderHorizontalPodAutoscaler', () => {
  it('scales the Deployment on CPU utilization between min and max', () => {
    const hpa = expectValid(
      hpaFor({ autoscaling: { minReplicas: 2, maxReplicas: 8, targetCpuUtilization: 60 } }),
    );
    expect(hpa?.spec?.scaleTargetRef).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      name: setup().names.base,
    });
    expect(hpa?.spec?.minReplicas).toBe(2);
    expect(hpa?.spec?.maxReplicas).toBe(8);
    expect(hpa?.spec?.metrics).toEqual([
      {
        type: 'Resource',
        resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 60 } },
      },
    ]);
  });

  it('defaults to CPU when no target is named', () => {
    const hpa = hpaFor({ autoscaling: { minReplicas: 1, maxReplicas: 3 } });
    expect(hpa?.spec?.metrics?.[0]?.resource?.target.averageUtilization).toBe(
      DEFAULT_CPU_UTILIZATION,
    );
  });

  it('adds GPU utilization and concurrency as Pods metrics, without a CPU default', () => {
    const hpa = expectValid(
      hpaFor({
        gpu: { type: 'L4' },
        autoscaling: {
          minReplicas: 1,
          maxReplicas: 4,
          targetGpuUtilization: 65,
          targetConcurrency: 30,
        },
      }),
    );
    expect(hpa?.spec?.metrics).toEqual([
      {
        type: 'Pods',
        pods: {
          metric: { name: 'DCGM_FI_DEV_GPU_UTIL' },
          target: { type: 'AverageValue', averageValue: '65' },
        },
      },
      {
        type: 'Pods',
        pods: {
          metric: { name: 'slipway_requests_in_flight' },
          target: { type: 'AverageValue', averageValue: '30' },
        },
      },
    ]);
  });

  it('targets the StatefulSet of a stateful service', () => {
    const hpa = hpaFor({
      volumes: [{ name: 'data', mountPath: '/data', size: Size.gibibytes(1) }],
      autoscaling: { minReplicas: 1, maxReplicas: 2 },
    });
    expect(hpa?.spec?.scaleTargetRef.kind).toBe('StatefulSet');
  });

  it.each([
    ['no autoscaling', { replicas: 3 }],
    [
      'scale-to-zero (wake-from-zero handles it)',
      { autoscaling: { minReplicas: 0, maxReplicas: 3 } },
    ],
    ['min = max', { autoscaling: { minReplicas: 2, maxReplicas: 2 } }],
  ])('is not rendered for %s', (_case, overrides: Partial<ServiceSpec>) => {
    expect(hpaFor(overrides)).toBeUndefined();
  });

  it('matches the snapshot', () => {
    expect(
      hpaFor({ autoscaling: { minReplicas: 2, maxReplicas: 10, targetCpuUtilization: 75 } }),
    ).toMatchSnapshot();
  });
});
