import type { IServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import { serviceMeta, type ServiceObjectNames } from './metadata';
import type { ServiceSpec } from './service-spec';

/**
 * One identity per service with no API token mounted: user code has no business talking
 * to the Kubernetes API, and a token on disk is one more thing to steal.
 */
export function renderServiceAccount(
  spec: ServiceSpec,
  names: ServiceObjectNames,
): IServiceAccount {
  return {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: serviceMeta(spec, names),
    automountServiceAccountToken: false,
  };
}
