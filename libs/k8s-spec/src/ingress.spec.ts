import { renderIngresses } from './ingress';
import { renderDomainIngresses, renderServiceObjects } from './render';
import { platform as options } from './test-support/fixtures';
import { expectValid, setup } from './test-support/setup';

describe('renderIngresses', () => {
  const domains = ['www.example.com', 'api.example.org'];
  const { spec, names, platform } = setup({ customDomains: domains });
  const ingresses = renderIngresses(spec, names, platform).map(expectValid);

  it('renders one Ingress per custom domain, in the edge namespace, to the edge Service', () => {
    expect(ingresses.map((ingress) => ingress.spec?.rules?.[0]?.host)).toEqual(domains);
    for (const ingress of ingresses) {
      expect(ingress.metadata?.namespace).toBe('slipway-system');
      expect(ingress.spec?.rules?.[0]?.http?.paths).toEqual([
        {
          path: '/',
          pathType: 'Prefix',
          backend: { service: { name: 'slipway-edge', port: { number: 8000 } } },
        },
      ]);
    }
  });

  it('uses the configured class and requests a certificate per domain', () => {
    const [first] = ingresses;
    expect(first?.spec?.ingressClassName).toBe('nginx');
    expect(first?.metadata?.annotations).toEqual({
      'cert-manager.io/cluster-issuer': 'letsencrypt',
    });
    expect(first?.spec?.tls).toEqual([
      { hosts: ['www.example.com'], secretName: names.tlsSecret('www.example.com') },
    ]);
  });

  it('labels each Ingress with the service id so the driver can prune it', () => {
    for (const ingress of ingresses)
      expect(ingress.metadata?.labels?.['slipway.dev/service-id']).toBe('svc-0001');
    expect(new Set(ingresses.map((ingress) => ingress.metadata?.name)).size).toBe(2);
  });

  it('leaves out class and TLS when the platform sets neither, and renders none without domains', () => {
    const bare = setup({ customDomains: ['x.example.com'] }, { ...options, ingress: {} });
    const [ingress] = renderIngresses(bare.spec, bare.names, bare.platform);
    expect(ingress?.spec).not.toHaveProperty('ingressClassName');
    expect(ingress?.spec).not.toHaveProperty('tls');
    expect(ingress?.metadata).not.toHaveProperty('annotations');
    const none = setup();
    expect(renderIngresses(none.spec, none.names, none.platform)).toEqual([]);
  });

  it('matches the snapshot', () => {
    expect(ingresses).toMatchSnapshot();
  });
});

describe('renderDomainIngresses', () => {
  it('renders the Ingresses a full render has, from identities and domains alone', () => {
    const { spec } = setup({ customDomains: ['www.example.com'], labels: { team: 'a' } });
    const full = renderServiceObjects(spec, options).filter((o) => o.kind === 'Ingress');
    const alone = renderDomainIngresses(
      {
        org: spec.org,
        project: spec.project,
        service: spec.service,
        customDomains: ['www.example.com'],
      },
      options,
    );
    expect(alone).toEqual(full);
    expect(alone[0]?.metadata?.labels).not.toHaveProperty('team');
  });
});
