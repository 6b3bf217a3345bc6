/**
 * The workload: a Deployment for stateless services, a StatefulSet with one volume
 * claim per instance and volume for stateful ones.
 */
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import type { IStatefulSet } from 'kubernetes-models/apps/v1/StatefulSet';
import {
  ANNOTATIONS,
  selectorLabels,
  serviceLabels,
  serviceMeta,
  type ServiceObjectNames,
} from './metadata';
import type { Labels, ResolvedPlatform } from './platform';
import { renderPodTemplate, resolveImage, startupWindowSeconds } from './pod';
import { renderedReplicas, scalingPlan, type ScalingPlan } from './scaling';
import type { ServiceSpec } from './service-spec';

export type Workload = IDeployment | IStatefulSet;

export function isStateful(spec: ServiceSpec): boolean {
  return (spec.volumes ?? []).length > 0;
}

function workloadAnnotations(spec: ServiceSpec, plan: ScalingPlan): Labels {
  const annotations: Record<string, string> = {
    [ANNOTATIONS.deploymentId]: spec.deploymentId,
    [ANNOTATIONS.accessType]: spec.accessType ?? 'private',
    [ANNOTATIONS.image]: resolveImage(spec),
  };
  if (spec.resourceProfileId !== undefined)
    annotations[ANNOTATIONS.resourceProfileId] = spec.resourceProfileId;
  if (plan.mode === 'scale-to-zero') {
    annotations[ANNOTATIONS.scaleToZero] = 'true';
    annotations[ANNOTATIONS.minReplicas] = '0';
    annotations[ANNOTATIONS.maxReplicas] = String(plan.max);
    const concurrency = spec.autoscaling?.targetConcurrency;
    if (concurrency !== undefined) annotations[ANNOTATIONS.targetConcurrency] = String(concurrency);
  }
  return annotations;
}

/** What Deployment and StatefulSet share: metadata, replicas, selector and pod template. */
function workloadFrame(spec: ServiceSpec, names: ServiceObjectNames, platform: ResolvedPlatform) {
  const plan = scalingPlan(spec);
  const replicas = renderedReplicas(plan);
  return {
    metadata: serviceMeta(spec, names, names.base, workloadAnnotations(spec, plan)),
    spec: {
      ...(replicas === undefined ? {} : { replicas }),
      selector: { matchLabels: { ...selectorLabels(spec) } },
      revisionHistoryLimit: 5,
      template: renderPodTemplate(spec, names, platform),
    },
  };
}

/** Rolls one new instance at a time (25% for large services) and never drops below desired. */
export function renderDeployment(
  spec: ServiceSpec,
  names: ServiceObjectNames,
  platform: ResolvedPlatform,
): IDeployment {
  const frame = workloadFrame(spec, names, platform);
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: frame.metadata,
    spec: {
      ...frame.spec,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: '25%' } },
      // Long enough for the slowest allowed startup, so slow starters are not marked failed.
      progressDeadlineSeconds: Math.max(600, startupWindowSeconds(spec) + 120),
    },
  };
}

export function renderStatefulSet(
  spec: ServiceSpec,
  names: ServiceObjectNames,
  platform: ResolvedPlatform,
): IStatefulSet {
  const frame = workloadFrame(spec, names, platform);
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: frame.metadata,
    spec: {
      ...frame.spec,
      serviceName: names.headless,
      // Instances are independent web servers: start and stop them together, not in order.
      podManagementPolicy: 'Parallel',
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } },
      // Deleting the service deletes its disks; scaling down keeps them for the way back up.
      persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Delete', whenScaled: 'Retain' },
      volumeClaimTemplates: (spec.volumes ?? []).map((volume) => {
        const storageClassName = volume.storageClassName ?? platform.storageClassName;
        return {
          metadata: { name: volume.name, labels: { ...serviceLabels(spec, names) } },
          spec: {
            accessModes: ['ReadWriteOnce'],
            ...(storageClassName === undefined ? {} : { storageClassName }),
            resources: { requests: { storage: volume.size.toString() } },
          },
        };
      }),
    },
  };
}

export function renderWorkload(
  spec: ServiceSpec,
  names: ServiceObjectNames,
  platform: ResolvedPlatform,
): Workload {
  return isStateful(spec)
    ? renderStatefulSet(spec, names, platform)
    : renderDeployment(spec, names, platform);
}

/**
 * Merge patch for a rolling restart of a running workload: a new pod-template annotation
 * makes Kubernetes replace every instance under the same rolling rules as a deploy.
 */
export function restartPatch(restartedAt: string): {
  spec: { template: { metadata: { annotations: Record<string, string> } } };
} {
  return {
    spec: { template: { metadata: { annotations: { [ANNOTATIONS.restartedAt]: restartedAt } } } },
  };
}
