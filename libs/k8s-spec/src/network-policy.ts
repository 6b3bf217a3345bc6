/**
 * The project namespace denies all traffic, then allows exactly what the platform needs:
 * the edge in on 8080, DNS and the trace collector out, and (by default) public egress.
 */
import type { INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import type { INetworkPolicyPeer } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicyPeer';
import { CONTAINER_CONTRACT } from './contract';
import { LABELS, MANAGED_BY, type ServiceObjectNames } from './metadata';
import type { PeerSelector, ResolvedPlatform } from './platform';

type PolicySpec = NonNullable<INetworkPolicy['spec']>;

export const NETWORK_POLICY_NAMES = {
  defaultDeny: 'slipway-default-deny',
  dns: 'slipway-allow-dns',
  edge: 'slipway-allow-from-edge',
  collector: 'slipway-allow-to-collector',
  publicEgress: 'slipway-allow-public-egress',
} as const;

/** Private, link-local (cloud metadata) and shared ranges stay closed with public egress on. */
export const NON_PUBLIC_IPV4 = [
  '10.0.0.0/8',
  '172.16.0.0/12',
  '192.168.0.0/16',
  '100.64.0.0/10',
  '169.254.0.0/16',
  '127.0.0.0/8',
];
export const NON_PUBLIC_IPV6 = ['fc00::/7', 'fe80::/10', '::1/128'];

function peer(selector: PeerSelector): INetworkPolicyPeer {
  return {
    namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': selector.namespace } },
    podSelector: { matchLabels: { ...selector.podLabels } },
  };
}

function policy(names: ServiceObjectNames, name: string, spec: PolicySpec): INetworkPolicy {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name, namespace: names.namespace, labels: { [LABELS.managedBy]: MANAGED_BY } },
    spec,
  };
}

export function renderNetworkPolicies(
  names: ServiceObjectNames,
  platform: ResolvedPlatform,
): INetworkPolicy[] {
  const everyPod = {};
  const policies = [
    policy(names, NETWORK_POLICY_NAMES.defaultDeny, {
      podSelector: everyPod,
      policyTypes: ['Ingress', 'Egress'],
    }),
    policy(names, NETWORK_POLICY_NAMES.dns, {
      podSelector: everyPod,
      policyTypes: ['Egress'],
      egress: [
        {
          to: [peer(platform.dns)],
          ports: [
            { protocol: 'UDP', port: 53 },
            { protocol: 'TCP', port: 53 },
          ],
        },
      ],
    }),
    policy(names, NETWORK_POLICY_NAMES.edge, {
      podSelector: everyPod,
      policyTypes: ['Ingress'],
      ingress: [
        // The named port: each service's container port, whatever number it is.
        {
          from: [peer(platform.edge)],
          ports: [{ protocol: 'TCP', port: CONTAINER_CONTRACT.portName }],
        },
      ],
    }),
    policy(names, NETWORK_POLICY_NAMES.collector, {
      podSelector: everyPod,
      policyTypes: ['Egress'],
      egress: [
        {
          to: [peer(platform.collector)],
          ports: [{ protocol: 'TCP', port: platform.collector.port }],
        },
      ],
    }),
  ];
  if (platform.allowPublicEgress) {
    policies.push(
      policy(names, NETWORK_POLICY_NAMES.publicEgress, {
        podSelector: everyPod,
        policyTypes: ['Egress'],
        egress: [
          {
            to: [
              { ipBlock: { cidr: '0.0.0.0/0', except: NON_PUBLIC_IPV4 } },
              { ipBlock: { cidr: '::/0', except: NON_PUBLIC_IPV6 } },
            ],
          },
        ],
      }),
    );
  }
  return policies;
}
