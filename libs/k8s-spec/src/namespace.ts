import type { INamespace } from 'kubernetes-models/v1/Namespace';
import { LABELS, MANAGED_BY, type ServiceObjectNames } from './metadata';
import type { Labels } from './platform';
import type { ServiceSpec } from './service-spec';

/** Pod Security admission levels, applied as namespace labels. */
export type PodSecurityLevel = 'restricted' | 'baseline';

/** enforce + audit + warn at `level`, pinned to `latest` so new rules apply on upgrade. */
export function podSecurityLabels(level: PodSecurityLevel): Labels {
  return {
    'pod-security.kubernetes.io/enforce': level,
    'pod-security.kubernetes.io/enforce-version': 'latest',
    // Audit and warn always at restricted: the build namespace's exception stays visible.
    'pod-security.kubernetes.io/audit': 'restricted',
    'pod-security.kubernetes.io/warn': 'restricted',
  };
}

/** The project's namespace; every service of the project lives in it. */
export function renderNamespace(spec: ServiceSpec, names: ServiceObjectNames): INamespace {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name: names.namespace,
      labels: {
        ...podSecurityLabels('restricted'),
        [LABELS.managedBy]: MANAGED_BY,
        [LABELS.orgId]: spec.org.id,
        [LABELS.projectId]: spec.project.id,
      },
      annotations: { 'slipway.dev/org': spec.org.name, 'slipway.dev/project': spec.project.name },
    },
  };
}
