import type { IIngress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import { serviceLabels, type ServiceObjectNames } from './metadata';
import type { ResolvedPlatform } from './platform';
import type { ServiceSpec } from './service-spec';

/**
 * One Ingress per custom domain, in the edge's namespace with the edge as backend:
 * custom domains pass through the edge like generated hostnames, so Access Key auth,
 * access logs, metrics and wake-from-zero apply to them too. TLS terminates at the
 * ingress controller (cert-manager issues the certificate when an issuer is configured).
 * They are platform objects: the user's own labels stay on the workload, so a change of
 * domains between rollouts (which has no deployment's labels) renders the same objects.
 */
export function renderIngresses(
  spec: ServiceSpec,
  names: ServiceObjectNames,
  platform: ResolvedPlatform,
): IIngress[] {
  const { className, tlsClusterIssuer, annotations } = platform.ingress;
  return (spec.customDomains ?? []).map((domain) => {
    const merged: Record<string, string> = { ...annotations };
    if (tlsClusterIssuer !== undefined) merged['cert-manager.io/cluster-issuer'] = tlsClusterIssuer;
    return {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: {
        name: names.ingress(domain),
        namespace: platform.edge.namespace,
        labels: serviceLabels({ ...spec, labels: undefined }, names),
        ...(Object.keys(merged).length > 0 ? { annotations: merged } : {}),
      },
      spec: {
        ...(className === undefined ? {} : { ingressClassName: className }),
        ...(tlsClusterIssuer === undefined
          ? {}
          : { tls: [{ hosts: [domain], secretName: names.tlsSecret(domain) }] }),
        rules: [
          {
            host: domain,
            http: {
              paths: [
                {
                  path: '/',
                  pathType: 'Prefix',
                  backend: {
                    service: {
                      name: platform.edge.serviceName,
                      port: { number: platform.edge.servicePort },
                    },
                  },
                },
              ],
            },
          },
        ],
      },
    };
  });
}
