import type { IHorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import type { IMetricSpec } from 'kubernetes-models/autoscaling/v2/MetricSpec';
import { serviceMeta, type ServiceObjectNames } from './metadata';
import type { ResolvedPlatform } from './platform';
import { scalingPlan } from './scaling';
import type { AutoscalingSpec, ServiceSpec } from './service-spec';
import { isStateful } from './workload';

/** CPU target used when autoscaling names no target at all. */
export const DEFAULT_CPU_UTILIZATION = 80;

function podsMetric(name: string, averageValue: number): IMetricSpec {
  return {
    type: 'Pods',
    pods: {
      metric: { name },
      target: { type: 'AverageValue', averageValue: String(averageValue) },
    },
  };
}

export function renderMetrics(scaling: AutoscalingSpec, platform: ResolvedPlatform): IMetricSpec[] {
  const metrics: IMetricSpec[] = [];
  const noTarget =
    scaling.targetCpuUtilization === undefined &&
    scaling.targetGpuUtilization === undefined &&
    scaling.targetConcurrency === undefined;
  const cpu = scaling.targetCpuUtilization ?? (noTarget ? DEFAULT_CPU_UTILIZATION : undefined);
  if (cpu !== undefined) {
    metrics.push({
      type: 'Resource',
      resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: cpu } },
    });
  }
  // GPU utilization and concurrency are custom Pods metrics served by a metrics adapter.
  if (scaling.targetGpuUtilization !== undefined) {
    metrics.push(podsMetric(platform.gpuUtilizationMetric, scaling.targetGpuUtilization));
  }
  if (scaling.targetConcurrency !== undefined) {
    metrics.push(podsMetric(platform.concurrencyMetric, scaling.targetConcurrency));
  }
  return metrics;
}

/**
 * An HPA when autoscaling has 1 ≤ min < max. Scale-to-zero (min 0) is left to the
 * platform's wake-from-zero, which an HPA cannot do; min = max needs no autoscaler.
 */
export function renderHorizontalPodAutoscaler(
  spec: ServiceSpec,
  names: ServiceObjectNames,
  platform: ResolvedPlatform,
): IHorizontalPodAutoscaler | undefined {
  const plan = scalingPlan(spec);
  if (plan.mode !== 'hpa' || spec.autoscaling === undefined) return undefined;
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: serviceMeta(spec, names),
    spec: {
      scaleTargetRef: {
        apiVersion: 'apps/v1',
        kind: isStateful(spec) ? 'StatefulSet' : 'Deployment',
        name: names.base,
      },
      minReplicas: plan.min,
      maxReplicas: plan.max,
      metrics: renderMetrics(spec.autoscaling, platform),
      // Scale up at once, down slowly: a brief lull should not cost warm instances.
      behavior: {
        scaleUp: { stabilizationWindowSeconds: 0 },
        scaleDown: { stabilizationWindowSeconds: 300 },
      },
    },
  };
}
