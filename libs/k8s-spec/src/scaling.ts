import type { ServiceSpec } from './service-spec';

/**
 * How a service scales, decided once and read by the workload, HPA and PDB renderers.
 * - `fixed`: `replicas` is rendered as is (also autoscaling with min = max).
 * - `hpa`: an HPA owns the replica count, so the workload leaves `replicas` unset and
 *   server-side apply never fights the autoscaler.
 * - `scale-to-zero`: min 0; no HPA (it cannot reach zero); the platform's wake-from-zero
 *   scales it, reading the bounds from annotations. A rollout starts at one instance so
 *   readiness can be proven.
 */
export type ScalingPlan =
  | { readonly mode: 'fixed'; readonly replicas: number }
  | { readonly mode: 'hpa'; readonly min: number; readonly max: number }
  | { readonly mode: 'scale-to-zero'; readonly replicas: 1; readonly max: number };

export function scalingPlan(spec: ServiceSpec): ScalingPlan {
  const scaling = spec.autoscaling;
  if (scaling === undefined) return { mode: 'fixed', replicas: spec.replicas ?? 1 };
  if (scaling.minReplicas === 0)
    return { mode: 'scale-to-zero', replicas: 1, max: scaling.maxReplicas };
  if (scaling.minReplicas === scaling.maxReplicas)
    return { mode: 'fixed', replicas: scaling.minReplicas };
  return { mode: 'hpa', min: scaling.minReplicas, max: scaling.maxReplicas };
}

/** The `replicas` field to render, or undefined when an HPA owns it. */
export function renderedReplicas(plan: ScalingPlan): number | undefined {
  return plan.mode === 'hpa' ? undefined : plan.replicas;
}
