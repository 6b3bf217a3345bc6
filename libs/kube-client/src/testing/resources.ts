/**
 * The kinds the stand-in API server knows, and the REST paths they live at, so tests can
 * name an object's path (`objectPath('apps/v1', 'Deployment', ns, name)`) instead of
 * spelling it out.
 */

export interface Resource {
  readonly groupVersion: string;
  readonly kind: string;
  readonly plural: string;
  readonly namespaced: boolean;
}

export const RESOURCES: readonly Resource[] = [
  ['v1', 'Namespace', 'namespaces', false],
  ['v1', 'Secret', 'secrets', true],
  ['v1', 'ServiceAccount', 'serviceaccounts', true],
  ['v1', 'Service', 'services', true],
  ['v1', 'Pod', 'pods', true],
  ['v1', 'PersistentVolumeClaim', 'persistentvolumeclaims', true],
  ['v1', 'Event', 'events', true],
  ['apps/v1', 'Deployment', 'deployments', true],
  ['apps/v1', 'StatefulSet', 'statefulsets', true],
  ['apps/v1', 'ReplicaSet', 'replicasets', true],
  ['batch/v1', 'Job', 'jobs', true],
  ['policy/v1', 'PodDisruptionBudget', 'poddisruptionbudgets', true],
  ['autoscaling/v2', 'HorizontalPodAutoscaler', 'horizontalpodautoscalers', true],
  ['networking.k8s.io/v1', 'NetworkPolicy', 'networkpolicies', true],
  ['networking.k8s.io/v1', 'Ingress', 'ingresses', true],
  // Served by metrics-server, an add-on: tests that need a cluster without it answer 404.
  ['metrics.k8s.io/v1beta1', 'PodMetrics', 'pods', true],
].map(([groupVersion, kind, plural, namespaced]) => ({
  groupVersion: String(groupVersion),
  kind: String(kind),
  plural: String(plural),
  namespaced: Boolean(namespaced),
}));

export function resourceFor(apiVersion: string, kind: string): Resource {
  const resource = RESOURCES.find((r) => r.groupVersion === apiVersion && r.kind === kind);
  if (resource === undefined) throw new Error(`stand-in: unknown kind ${apiVersion} ${kind}`);
  return resource;
}

/** `/api/v1` for the core group, `/apis/<group>/<version>` for the others. */
export function groupVersionPath(groupVersion: string): string {
  return `/${groupVersion.includes('/') ? 'apis' : 'api'}/${groupVersion}`;
}

/** The REST path of one object (or, without a name, of the collection). */
export function objectPath(
  apiVersion: string,
  kind: string,
  namespace: string | undefined,
  name?: string,
): string {
  const resource = resourceFor(apiVersion, kind);
  const scope = resource.namespaced && namespace !== undefined ? `/namespaces/${namespace}` : '';
  const object = name === undefined ? '' : `/${name}`;
  return `${groupVersionPath(resource.groupVersion)}${scope}/${resource.plural}${object}`;
}

/** Where the stand-in stores an object: namespaced kinds per namespace, the rest once. */
export function storageKey(
  resource: Resource,
  namespace: string | undefined,
  name: string,
): string {
  const scope = resource.namespaced ? (namespace ?? '') : '';
  return `${resource.groupVersion}|${scope}|${resource.plural}|${name}`;
}
