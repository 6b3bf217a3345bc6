/**
 * What the API may do on the cluster, declared once: the ClusterRole renders from it, and
 * the API's contract specs check that the Kubernetes runtime calls exactly this over a
 * service's whole life (least privilege, and nothing it needs missing).
 */
import type { IClusterRole } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRole';
import { LABELS, MANAGED_BY } from './metadata';

export type Verb = 'get' | 'list' | 'watch' | 'create' | 'patch' | 'update' | 'delete';

export interface Permission {
  /** '' for the core group. */
  readonly apiGroup: string;
  /** The plural, with `/subresource` where one is called (`pods/log`). */
  readonly resource: string;
  readonly verbs: readonly Verb[];
}

/** What the runtime applies: server-side apply creates on first apply (`create` + `patch`). */
const APPLIED: readonly Verb[] = ['create', 'patch'];
/** What it also prunes and deletes by the service's label. */
const OWNED: readonly Verb[] = [...APPLIED, 'list', 'delete'];

export const API_PERMISSIONS: readonly Permission[] = [
  // Project namespaces and their default policies, applied with the first service.
  { apiGroup: '', resource: 'namespaces', verbs: APPLIED },
  { apiGroup: 'networking.k8s.io', resource: 'networkpolicies', verbs: APPLIED },
  // A service's own objects.
  { apiGroup: '', resource: 'secrets', verbs: OWNED },
  { apiGroup: '', resource: 'serviceaccounts', verbs: OWNED },
  { apiGroup: '', resource: 'services', verbs: OWNED },
  { apiGroup: 'apps', resource: 'deployments', verbs: [...OWNED, 'get'] },
  { apiGroup: 'apps', resource: 'statefulsets', verbs: [...OWNED, 'get'] },
  { apiGroup: 'autoscaling', resource: 'horizontalpodautoscalers', verbs: OWNED },
  { apiGroup: 'policy', resource: 'poddisruptionbudgets', verbs: OWNED },
  { apiGroup: 'networking.k8s.io', resource: 'ingresses', verbs: OWNED },
  // Reads: rollout progress, instances, logs, failure evidence, usage.
  { apiGroup: 'apps', resource: 'replicasets', verbs: ['list'] },
  // Delete: a forced service delete stops its pods at once instead of after their grace.
  { apiGroup: '', resource: 'pods', verbs: ['get', 'list', 'delete'] },
  { apiGroup: '', resource: 'pods/log', verbs: ['get'] },
  { apiGroup: '', resource: 'events', verbs: ['list'] },
  { apiGroup: 'metrics.k8s.io', resource: 'pods', verbs: ['list'] },
];

/** The API's ClusterRole (bound to its ServiceAccount by the platform's manifests). */
export function renderApiClusterRole(name = 'slipway-api'): IClusterRole {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: { name, labels: { [LABELS.managedBy]: MANAGED_BY } },
    rules: API_PERMISSIONS.map(({ apiGroup, resource, verbs }) => ({
      apiGroups: [apiGroup],
      resources: [resource],
      verbs: [...verbs],
    })),
  };
}

/**
 * What the builder's Kaniko driver may do in the build namespace (a Role there): the bundle
 * token's Secret and the Job (replacing one an earlier attempt left waits until it is
 * gone, hence `get`), the Job's pod and its log.
 */
export const BUILDER_PERMISSIONS: readonly Permission[] = [
  { apiGroup: '', resource: 'secrets', verbs: [...APPLIED, 'get', 'delete'] },
  { apiGroup: 'batch', resource: 'jobs', verbs: [...APPLIED, 'get', 'delete'] },
  { apiGroup: '', resource: 'pods', verbs: ['list'] },
  { apiGroup: '', resource: 'pods/log', verbs: ['get'] },
];

/**
 * And on the cluster: re-applying the build namespace (the platform's manifests create it),
 * that one namespace only.
 */
export const BUILDER_NAMESPACE_PERMISSIONS: readonly Permission[] = [
  { apiGroup: '', resource: 'namespaces', verbs: ['patch'] },
];
