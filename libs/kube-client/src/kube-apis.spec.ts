/** The clients against the stand-in API server (no cluster runs here). */
import { KubeConfig } from '@kubernetes/client-node';
import { APPLY_CONTENT_TYPE, createKubeApis, type KubeApis } from './kube-apis';
import { isTimeout, kubernetesApiError } from './kube-errors';
import { startClients } from './test-support/stand-in';
import type { FakeKubeApi } from './testing';

let api: FakeKubeApi;
let apis: KubeApis;

beforeEach(async () => {
  ({ api, apis } = await startClients());
});

afterEach(() => api.close());

const policy = {
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { name: 'web', namespace: 'acme' },
  spec: {
    podSelector: {},
    ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'edge' } } }] }],
  },
};

describe('ObjectClient.apply (stand-in API server)', () => {
  it('sends the rendered object unchanged, as a forced server-side apply by the field manager', async () => {
    const sent = structuredClone(policy);
    await apis.objects.apply(sent, 'slipway');

    const [patch, ...others] = api.requests.filter((r) => r.method === 'PATCH');
    expect(others).toEqual([]);
    expect(patch?.path).toBe('/apis/networking.k8s.io/v1/namespaces/acme/networkpolicies/web');
    expect(patch?.contentType).toBe(APPLY_CONTENT_TYPE);
    expect(patch?.query.toString()).toBe('fieldManager=slipway&force=true');
    // client-node's typed serializer would drop `from` and open the policy.
    expect(patch?.body).toBe(JSON.stringify(policy));
    expect(sent).toEqual(policy); // the caller's object is left as it was
    expect(api.get('networking.k8s.io/v1', 'NetworkPolicy', 'acme', 'web')?.spec).toEqual(
      policy.spec,
    );
  });

  it('applies cluster-scoped kinds at their cluster path', async () => {
    await apis.objects.apply(
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'acme' } },
      'x',
    );
    expect(api.calls((r) => r.method === 'PATCH')).toEqual(['PATCH /api/v1/namespaces/acme']);
  });
});

describe('createKubeApis', () => {
  it('bounds every request by requestTimeoutMs', async () => {
    api.on((request) => (request.path.includes('/pods') ? { stream: () => undefined } : undefined));
    const slow = createKubeApis(api.kubeConfig(), { caller: 'test', requestTimeoutMs: 100 });
    const started = Date.now();
    const error: unknown = await slow.core
      .readNamespacedPod({ namespace: 'acme', name: 'web' })
      .catch((rejection: unknown) => rejection);

    // The answer never comes, so only the timeout ends the read: it waited the 100 ms, and
    // ended long before any default (undici waits 300 s for headers). The upper bound leaves
    // room for a loaded machine that pauses this process for seconds.
    expect(Date.now() - started).toBeGreaterThanOrEqual(95);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(isTimeout(error)).toBe(true);
    expect(kubernetesApiError(error, 'read pod web', slow.options).message).toBe(
      'read pod web: the Kubernetes API did not answer within 100 ms',
    );
  }, 30_000);

  it('refuses a kubeconfig without a current cluster', () => {
    expect(() => createKubeApis(new KubeConfig(), { caller: 'test', requestTimeoutMs: 1 })).toThrow(
      'the kubeconfig has no current cluster',
    );
  });
});
