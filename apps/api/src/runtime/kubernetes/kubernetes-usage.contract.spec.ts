/**
 * Usage on the `kubernetes` runtime against a stand-in API server serving the metrics API
 * (metrics.k8s.io, as metrics-server does), and without it.
 */
import { LABELS } from '@slipway/k8s-spec';
import { KubernetesApiError } from '@slipway/kube-client';
import { statusReply, type FakeKubeApi, type KubeObject } from '@slipway/kube-client/testing';
import { UsageUnavailableError } from '../runtime-driver';
import type { KubernetesRuntimeDriver } from './kubernetes-runtime.driver';
import { names, ref, spec } from './testing/fixtures';
import { startDriver } from './testing/harness';

const ns = names.namespace;
const METRICS_PATH = '/apis/metrics.k8s.io/v1beta1';

let api: FakeKubeApi;
let driver: KubernetesRuntimeDriver;

beforeEach(async () => {
  ({ api, driver } = await startDriver());
});

afterEach(() => api.close());

function podMetrics(
  name: string,
  usages: readonly { cpu: string; memory: string }[],
  serviceId = spec.service.id,
): KubeObject {
  return {
    apiVersion: 'metrics.k8s.io/v1beta1',
    kind: 'PodMetrics',
    metadata: { name, namespace: ns, labels: { [LABELS.serviceId]: serviceId } },
    timestamp: '2026-01-01T10:00:00Z',
    window: '15s',
    containers: usages.map((usage, index) => ({ name: `c${index}`, usage })),
  };
}

describe('KubernetesRuntimeDriver usage', () => {
  it("sums the CPU and memory of the service's pods' containers", async () => {
    api.put(
      podMetrics('web-a', [
        { cpu: '12345678n', memory: '123456Ki' },
        { cpu: '250m', memory: '64Mi' },
      ]),
    );
    api.put(podMetrics('web-b', [{ cpu: '1', memory: '32Mi' }]));
    const usage = await driver.usage(ref);
    expect(usage.cpuCores).toBeCloseTo(0.012345678 + 0.25 + 1, 9);
    expect(usage.memoryBytes).toBe(123456 * 1024 + 96 * 1024 * 1024);
  });

  it("leaves out another service's pods and asks for the service's label", async () => {
    api.put(podMetrics('web-a', [{ cpu: '100m', memory: '10Mi' }]));
    api.put(podMetrics('api-a', [{ cpu: '900m', memory: '90Mi' }], 'svc-other'));
    await expect(driver.usage(ref)).resolves.toEqual({
      cpuCores: 0.1,
      memoryBytes: 10 * 1024 * 1024,
    });
    const list = api.requests.find((r) => r.path === `${METRICS_PATH}/namespaces/${ns}/pods`);
    expect(list?.query.get('labelSelector')).toBe(`${LABELS.serviceId}=${spec.service.id}`);
  });

  it('answers zero with no pods', async () => {
    await expect(driver.usage(ref)).resolves.toEqual({ cpuCores: 0, memoryBytes: 0 });
  });

  it('says the metrics API is missing when the cluster does not serve it', async () => {
    api.on((request) =>
      request.path.startsWith(METRICS_PATH)
        ? statusReply(404, 'NotFound', 'the server could not find the requested resource')
        : undefined,
    );
    const usage = driver.usage(ref);
    await expect(usage).rejects.toThrow(UsageUnavailableError);
    await expect(usage).rejects.toThrow('the cluster has no metrics API (install metrics-server)');
  });

  it('reports server trouble as an infrastructure error', async () => {
    api.on((request) =>
      request.path === `${METRICS_PATH}/namespaces/${ns}/pods`
        ? statusReply(500, 'InternalError', 'metrics-server is not ready')
        : undefined,
    );
    const usage = driver.usage(ref);
    await expect(usage).rejects.toThrow(KubernetesApiError);
    await expect(usage).rejects.toThrow(
      `read the pod metrics of ${spec.service.name}: the Kubernetes API answered 500: metrics-server is not ready`,
    );
  });
});
