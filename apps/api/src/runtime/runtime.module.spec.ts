import { renderPlatformObjects, validatePlatformOptions } from '@slipway/k8s-spec';
import { loadConfig } from '../config/load-config';
import { kubernetesPlatform } from './runtime.module';

describe('kubernetesPlatform', () => {
  const config = loadConfig({ env: { SLIPWAY_K8S_SYSTEM_NAMESPACE: 'slipway-system' } });
  const platform = kubernetesPlatform(config);
  // The platform's own manifests, rendered into the namespace the API is configured with.
  const objects = renderPlatformObjects({
    namespace: 'slipway-system',
    edgeImage: 'registry.example/slipway-edge:1',
    collectorImage: 'registry.example/slipway-collector:1',
  });
  const find = (kind: string, name: string) =>
    objects.find((o) => o.kind === kind && o.metadata?.name === name);

  it('is valid platform options', () => {
    expect(validatePlatformOptions(platform)).toEqual([]);
  });

  // The services' NetworkPolicies admit these peers: they must select the rendered pods.
  it.each(['collector', 'edge'] as const)(
    "selects the %s's pods as the platform's manifests render them",
    (peer) => {
      const { namespace, podLabels } = platform[peer];
      expect(Object.keys(podLabels)).not.toHaveLength(0);
      expect(find('Deployment', `slipway-${peer}`)).toMatchObject({
        metadata: { namespace },
        spec: { template: { metadata: { labels: podLabels } } },
      });
    },
  );

  it("names the edge's Service and the collector's port as rendered", () => {
    expect(find('Service', platform.edge.serviceName)).toMatchObject({
      spec: { ports: [{ port: platform.edge.servicePort ?? 8000 }] },
    });
    expect(find('Service', 'slipway-collector')).toMatchObject({
      spec: { ports: [{ port: platform.collector.port ?? 4318 }] },
    });
  });
});
