import { NETWORK_POLICY_NAMES, renderNetworkPolicies } from './network-policy';
import { platform as options } from './test-support/fixtures';
import { expectValid, setup } from './test-support/setup';

describe('renderNetworkPolicies', () => {
  const { names, platform } = setup();
  const policies = renderNetworkPolicies(names, platform).map(expectValid);
  const byName = new Map(policies.map((policy) => [policy.metadata?.name, policy.spec]));

  it('denies all ingress and egress by default for every pod', () => {
    expect(byName.get(NETWORK_POLICY_NAMES.defaultDeny)).toEqual({
      podSelector: {},
      policyTypes: ['Ingress', 'Egress'],
    });
  });

  it("lets only the edge pods in, only on each container's named port", () => {
    const edge = byName.get(NETWORK_POLICY_NAMES.edge);
    expect(edge?.policyTypes).toEqual(['Ingress']);
    expect(edge?.ingress).toEqual([
      {
        from: [
          {
            namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'slipway-system' } },
            podSelector: { matchLabels: { 'app.kubernetes.io/name': 'slipway-edge' } },
          },
        ],
        ports: [{ protocol: 'TCP', port: 'http' }],
      },
    ]);
  });

  it('lets pods reach DNS on 53 and the collector on its port', () => {
    expect(byName.get(NETWORK_POLICY_NAMES.dns)?.egress?.[0]?.ports).toEqual([
      { protocol: 'UDP', port: 53 },
      { protocol: 'TCP', port: 53 },
    ]);
    expect(byName.get(NETWORK_POLICY_NAMES.collector)?.egress?.[0]?.ports).toEqual([
      { protocol: 'TCP', port: 4318 },
    ]);
  });

  it('opens public egress but keeps private and metadata ranges closed', () => {
    const blocks = byName.get(NETWORK_POLICY_NAMES.publicEgress)?.egress?.[0]?.to ?? [];
    expect(blocks[0]?.ipBlock?.except).toEqual(
      expect.arrayContaining(['10.0.0.0/8', '169.254.0.0/16']),
    );
  });

  it('leaves public egress out when the platform turns it off', () => {
    const closed = setup({}, { ...options, allowPublicEgress: false });
    const closedNames = renderNetworkPolicies(closed.names, closed.platform).map(
      (policy) => policy.metadata?.name,
    );
    expect(closedNames).not.toContain(NETWORK_POLICY_NAMES.publicEgress);
    expect(closedNames).toHaveLength(4);
  });

  it('matches the snapshot', () => {
    expect(policies).toMatchSnapshot();
  });
});
