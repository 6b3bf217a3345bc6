/**
 * Secrets: the only place secret env values and the service token exist in the cluster.
 * Pods reference keys of the service Secret by `secretKeyRef`; no value is inlined.
 */
import { INJECTED_ENV, otlpHeadersFor } from '@slipway/contracts';
import type { ISecret } from 'kubernetes-models/v1/Secret';
import { LABELS, MANAGED_BY, serviceMeta, type ServiceObjectNames } from './metadata';
import type { ResolvedPlatform } from './platform';
import type { ServiceSpec } from './service-spec';

/**
 * `data` (base64) rather than `stringData`: with server-side apply `stringData` is
 * write-only and would show as a perpetual diff.
 */
function encode(value: string): string {
  return Buffer.from(value, 'utf8').toString('base64');
}

/** The Secret's keys, in order: injected credentials, then the user's secret env. */
export function secretEnvNames(spec: ServiceSpec): string[] {
  return [
    INJECTED_ENV.serviceToken,
    INJECTED_ENV.otlpHeaders,
    ...(spec.env ?? []).filter((entry) => entry.secret === true).map((entry) => entry.name),
  ];
}

export function renderServiceSecret(spec: ServiceSpec, names: ServiceObjectNames): ISecret {
  const data: Record<string, string> = {
    [INJECTED_ENV.serviceToken]: encode(spec.serviceToken),
    [INJECTED_ENV.otlpHeaders]: encode(otlpHeadersFor(spec.serviceToken)),
  };
  for (const entry of spec.env ?? []) {
    if (entry.secret === true) data[entry.name] = encode(entry.value);
  }
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: serviceMeta(spec, names),
    type: 'Opaque',
    data,
  };
}

/** The registry pull secret, when the platform hands over its content. */
export function renderImagePullSecret(
  names: ServiceObjectNames,
  platform: ResolvedPlatform,
): ISecret | undefined {
  const pull = platform.imagePullSecret;
  if (pull?.dockerConfigJson === undefined) return undefined;
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: pull.name,
      namespace: names.namespace,
      labels: { [LABELS.managedBy]: MANAGED_BY },
    },
    type: 'kubernetes.io/dockerconfigjson',
    data: { '.dockerconfigjson': encode(pull.dockerConfigJson) },
  };
}
