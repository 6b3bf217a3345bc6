import type { IPodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { selectorLabels, serviceMeta, type ServiceObjectNames } from './metadata';
import { scalingPlan } from './scaling';
import type { ServiceSpec } from './service-spec';

/**
 * With more than one instance, voluntary disruptions (node drains) take one at a time.
 * `maxUnavailable: 1` rather than `minAvailable` so a drain never deadlocks when the
 * autoscaler is at one instance. Undefined when there is never more than one.
 */
export function renderPodDisruptionBudget(
  spec: ServiceSpec,
  names: ServiceObjectNames,
): IPodDisruptionBudget | undefined {
  const plan = scalingPlan(spec);
  const multiple = plan.mode === 'hpa' || (plan.mode === 'fixed' && plan.replicas > 1);
  if (!multiple) return undefined;
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: serviceMeta(spec, names),
    spec: {
      maxUnavailable: 1,
      selector: { matchLabels: { ...selectorLabels(spec) } },
      // A crash-looping pod must not block node drains.
      unhealthyPodEvictionPolicy: 'AlwaysAllow',
    },
  };
}
