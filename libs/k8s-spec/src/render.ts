import type { IHorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import type { IIngress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import type { INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import type { IPodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import type { INamespace } from 'kubernetes-models/v1/Namespace';
import type { ISecret } from 'kubernetes-models/v1/Secret';
import type { IService } from 'kubernetes-models/v1/Service';
import type { IServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import { renderHorizontalPodAutoscaler } from './hpa';
import { renderIngresses } from './ingress';
import { LABELS, serviceObjectNames, type ServiceObjectNames } from './metadata';
import { renderNamespace } from './namespace';
import { renderNetworkPolicies } from './network-policy';
import { renderPodDisruptionBudget } from './pdb';
import { resolvePlatform, type PlatformOptions } from './platform';
import { renderImagePullSecret, renderServiceSecret } from './secret';
import { renderClusterService, renderHeadlessService } from './service';
import { renderServiceAccount } from './service-account';
import type { ServiceSpec } from './service-spec';
import { assertValidServiceSpec } from './validation';
import { isStateful, renderWorkload, type Workload } from './workload';

/** Every kind this library renders for a service. */
export type ServiceObject =
  | INamespace
  | INetworkPolicy
  | ISecret
  | IServiceAccount
  | Workload
  | IService
  | IPodDisruptionBudget
  | IHorizontalPodAutoscaler
  | IIngress;

/**
 * Kinds a service may own, for pruning: after applying, delete objects of these kinds
 * labelled with the service id that the latest render no longer contains (an HPA after
 * autoscaling was turned off, an Ingress of a removed domain).
 */
export const SERVICE_OBJECT_KINDS = [
  { apiVersion: 'v1', kind: 'Secret' },
  { apiVersion: 'v1', kind: 'ServiceAccount' },
  { apiVersion: 'apps/v1', kind: 'Deployment' },
  { apiVersion: 'apps/v1', kind: 'StatefulSet' },
  { apiVersion: 'v1', kind: 'Service' },
  { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget' },
  { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler' },
  { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress' },
] as const;

/** Label selector (`key=value`) matching every object of one service. */
export function serviceLabelSelector(serviceId: string): string {
  return `${LABELS.serviceId}=${serviceId}`;
}

/** Names of a service's objects (namespace, workload, ...), for the driver's reads and deletes. */
export function serviceNames(
  spec: ServiceSpec,
  platformOptions: PlatformOptions,
): ServiceObjectNames {
  return serviceObjectNames(spec, resolvePlatform(platformOptions));
}

/** What a service's Ingresses depend on: its identities and its custom domains. */
export type ServiceDomains = Pick<ServiceSpec, 'org' | 'project' | 'service'> & {
  readonly customDomains: readonly string[];
};

/**
 * Only the Ingresses of a service, for a change of its custom domains between rollouts:
 * they need no deployment, and render exactly as `renderServiceObjects` renders them.
 */
export function renderDomainIngresses(
  domains: ServiceDomains,
  platformOptions: PlatformOptions,
): IIngress[] {
  const platform = resolvePlatform(platformOptions);
  // The other required fields of a spec are not read by the Ingress renderer.
  const spec: ServiceSpec = { ...domains, deploymentId: '', image: '', serviceToken: '' };
  return renderIngresses(spec, serviceObjectNames(spec, platform), platform);
}

/**
 * Validates `spec` and `platformOptions` (throwing a SpecValidationError that lists every
 * problem) and renders the objects to server-side apply, in apply order: namespace and
 * policies, identity and secrets, workload, then what points at the workload.
 */
export function renderServiceObjects(
  spec: ServiceSpec,
  platformOptions: PlatformOptions,
): readonly ServiceObject[] {
  assertValidServiceSpec(spec, platformOptions);
  const platform = resolvePlatform(platformOptions);
  const names = serviceObjectNames(spec, platform);
  const pullSecret = renderImagePullSecret(names, platform);
  const objects: (ServiceObject | undefined)[] = [
    renderNamespace(spec, names),
    ...renderNetworkPolicies(names, platform),
    pullSecret,
    renderServiceAccount(spec, names),
    renderServiceSecret(spec, names),
    isStateful(spec) ? renderHeadlessService(spec, names) : undefined,
    renderWorkload(spec, names, platform),
    renderClusterService(spec, names),
    renderPodDisruptionBudget(spec, names),
    renderHorizontalPodAutoscaler(spec, names, platform),
    ...renderIngresses(spec, names, platform),
  ];
  return objects.filter((object) => object !== undefined);
}
