/** Names, labels and annotations every rendered object shares. */
import type { INamespace } from 'kubernetes-models/v1/Namespace';
import { MAX_STATEFULSET_NAME_LENGTH, resourceName } from './naming';
import type { Labels, ResolvedPlatform } from './platform';
import type { ServiceSpec } from './service-spec';

export type ObjectMeta = NonNullable<INamespace['metadata']>;

export const MANAGED_BY = 'slipway';

export const LABELS = {
  name: 'app.kubernetes.io/name',
  instance: 'app.kubernetes.io/instance',
  component: 'app.kubernetes.io/component',
  managedBy: 'app.kubernetes.io/managed-by',
  orgId: 'slipway.dev/org-id',
  projectId: 'slipway.dev/project-id',
  serviceId: 'slipway.dev/service-id',
  deploymentId: 'slipway.dev/deployment-id',
} as const;

export const ANNOTATIONS = {
  orgName: 'slipway.dev/org',
  projectName: 'slipway.dev/project',
  deploymentId: 'slipway.dev/deployment-id',
  accessType: 'slipway.dev/access-type',
  resourceProfileId: 'slipway.dev/resource-profile-id',
  image: 'slipway.dev/image',
  scaleToZero: 'slipway.dev/scale-to-zero',
  minReplicas: 'slipway.dev/min-replicas',
  maxReplicas: 'slipway.dev/max-replicas',
  targetConcurrency: 'slipway.dev/target-concurrency',
  /** The key `kubectl rollout restart` uses, so both restart paths agree. */
  restartedAt: 'kubectl.kubernetes.io/restartedAt',
} as const;

/** Names of a service's objects, computed once with the one naming rule. */
export interface ServiceObjectNames {
  readonly namespace: string;
  /** Workload, Service, Secret, ServiceAccount, PDB and HPA share it (one per kind). */
  readonly base: string;
  /** Headless Service that gives StatefulSet pods stable DNS names. */
  readonly headless: string;
  readonly ingress: (domain: string) => string;
  readonly tlsSecret: (domain: string) => string;
}

export function namespaceName(project: ServiceSpec['project'], prefix: string): string {
  return resourceName([prefix, project.name], { uniqueBy: project.id });
}

export function serviceObjectNames(
  spec: ServiceSpec,
  platform: ResolvedPlatform,
): ServiceObjectNames {
  const service = spec.service;
  // 52, not 63, so the same name also fits a StatefulSet.
  const scoped = (parts: readonly string[], maxLength = MAX_STATEFULSET_NAME_LENGTH): string =>
    resourceName(parts, { uniqueBy: service.id, maxLength });
  return {
    namespace: namespaceName(spec.project, platform.namespacePrefix),
    base: scoped([service.name]),
    headless: scoped([service.name, 'pods']),
    ingress: (domain) => scoped([service.name, domain], 63),
    tlsSecret: (domain) => scoped([domain, 'tls'], 63),
  };
}

/** The selector of a service's pods; only the immutable id, since selectors cannot change. */
export function selectorLabels(spec: ServiceSpec): Labels {
  return { [LABELS.serviceId]: spec.service.id };
}

/** Labels on every object of a service; user labels first so platform keys win. */
export function serviceLabels(spec: ServiceSpec, names: ServiceObjectNames): Labels {
  return {
    ...spec.labels,
    [LABELS.name]: spec.service.name,
    [LABELS.instance]: names.base,
    [LABELS.component]: 'service',
    [LABELS.managedBy]: MANAGED_BY,
    [LABELS.orgId]: spec.org.id,
    [LABELS.projectId]: spec.project.id,
    [LABELS.serviceId]: spec.service.id,
  };
}

/** Metadata of a per-service object in the project namespace. */
export function serviceMeta(
  spec: ServiceSpec,
  names: ServiceObjectNames,
  name: string = names.base,
  annotations?: Labels,
): ObjectMeta & { name: string; namespace: string } {
  return {
    name,
    namespace: names.namespace,
    labels: { ...serviceLabels(spec, names) },
    ...(annotations !== undefined && Object.keys(annotations).length > 0
      ? { annotations: { ...annotations } }
      : {}),
  };
}
