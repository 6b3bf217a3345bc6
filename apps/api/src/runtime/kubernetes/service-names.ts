/** Where a service's objects live, from its identities alone (reads, logs and deletes). */
import {
  CONTAINER_CONTRACT,
  serviceNames,
  type PlatformOptions,
  type ServiceObjectNames,
  type ServiceSpec,
} from '@slipway/k8s-spec';
import type { Endpoint, ServiceRef } from '../runtime-driver';

/**
 * `serviceNames` takes a whole spec but only reads the identities; the other required
 * fields are filled with placeholders so the one naming rule stays in @slipway/k8s-spec.
 */
export function namesForRef(ref: ServiceRef, platform: PlatformOptions): ServiceObjectNames {
  const identities: ServiceSpec = {
    org: ref.org,
    project: ref.project,
    service: ref.service,
    deploymentId: '',
    image: '',
    serviceToken: '',
  };
  return serviceNames(identities, platform);
}

/** The cluster Service the in-cluster edge balances through (ClusterIP on 8080). */
export function clusterServiceEndpoint(names: ServiceObjectNames): Endpoint {
  return {
    host: `${names.base}.${names.namespace}.svc.cluster.local`,
    port: CONTAINER_CONTRACT.port,
  };
}
