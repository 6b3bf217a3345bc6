/**
 * Custom domains between rollouts on the `kubernetes` runtime (stand-in API server): the
 * Ingresses follow a change of domains at once, and nothing else of the service is touched.
 */
import { LABELS } from '@slipway/k8s-spec';
import { statusReply, type FakeKubeApi } from '@slipway/kube-client/testing';
import { RolloutFailedError } from '../runtime-driver';
import type { KubernetesRuntimeDriver } from './kubernetes-runtime.driver';
import { names, platform, ref, spec } from './testing/fixtures';
import { ingressHosts, startDriver } from './testing/harness';

let api: FakeKubeApi;
let driver: KubernetesRuntimeDriver;

beforeEach(async () => {
  ({ api, driver } = await startDriver());
});

afterEach(() => api.close());

const hosts = (): string[] => ingressHosts(api, spec.service.id);

describe('KubernetesRuntimeDriver.applyDomains (stand-in API server)', () => {
  it('creates one Ingress per domain in the edge namespace, and deletes those of removed domains', async () => {
    await driver.applyDomains(ref, ['www.example.com', 'api.example.org']);
    expect(hosts()).toEqual(['api.example.org', 'www.example.com']);
    for (const ingress of api.all('Ingress')) {
      expect(ingress.metadata.namespace).toBe(platform.edge.namespace);
    }

    await driver.applyDomains(ref, ['api.example.org']);
    expect(hosts()).toEqual(['api.example.org']);
    expect(api.calls((r) => r.method === 'DELETE')).toEqual([
      `DELETE /apis/networking.k8s.io/v1/namespaces/${platform.edge.namespace}/ingresses/${names.ingress('www.example.com')}`,
    ]);

    await driver.applyDomains(ref, []);
    expect(hosts()).toEqual([]);
  });

  it("leaves the service's workload objects and other services' Ingresses alone", async () => {
    api.put({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: {
        name: names.base,
        namespace: names.namespace,
        labels: { [LABELS.serviceId]: spec.service.id },
      },
    });
    api.put({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: {
        name: 'other-service-shop-example-com',
        namespace: platform.edge.namespace,
        labels: { [LABELS.serviceId]: 'svc-other' },
      },
    });

    await driver.applyDomains(ref, []);
    expect(api.all('Deployment')).toHaveLength(1);
    expect(api.all('Ingress').map((ingress) => ingress.metadata.name)).toEqual([
      'other-service-shop-example-com',
    ]);
  });

  it('says what the cluster refused', async () => {
    api.on((request) =>
      request.path.includes('/ingresses/')
        ? statusReply(422, 'Invalid', 'spec.rules[0].host: Invalid value')
        : undefined,
    );
    const applying = driver.applyDomains(ref, ['www.example.com']);
    await expect(applying).rejects.toThrow(RolloutFailedError);
    await expect(applying).rejects.toThrow(/spec\.rules\[0\]\.host: Invalid value/);
  });
});
