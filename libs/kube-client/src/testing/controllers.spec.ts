/** The stand-in's own helpers, driven through a real client. */
import { createKubeApis } from '../kube-apis';
import { onEachRead, putPod, waitFor } from './controllers';
import { FakeKubeApi } from './fake-kube-api';
import { objectPath } from './resources';

let api: FakeKubeApi;

beforeEach(async () => {
  api = await FakeKubeApi.started();
});

afterEach(() => api.close());

describe('objectPath', () => {
  it('spells core, grouped and cluster-scoped paths as the API server does', () => {
    expect(objectPath('v1', 'Pod', 'acme', 'web')).toBe('/api/v1/namespaces/acme/pods/web');
    expect(objectPath('apps/v1', 'Deployment', 'acme')).toBe(
      '/apis/apps/v1/namespaces/acme/deployments',
    );
    expect(objectPath('v1', 'Namespace', 'ignored', 'acme')).toBe('/api/v1/namespaces/acme');
    expect(() => objectPath('v1', 'Gadget', 'acme', 'x')).toThrow('unknown kind v1 Gadget');
  });
});

describe('onEachRead and putPod', () => {
  it('lets a test change the world between two reads of a stored object', async () => {
    const apis = createKubeApis(api.kubeConfig(), { caller: 'test', requestTimeoutMs: 10_000 });
    const object = { apiVersion: 'batch/v1', kind: 'Job', namespace: 'b', name: 'j' };
    const reads = onEachRead(api, object, (job, read) => {
      api.put({ ...job, status: { active: read } });
      putPod(api, { namespace: 'b', name: `j-${read}`, labels: { 'job-name': 'j' }, status: {} });
    });

    await expect(apis.batch.readNamespacedJob({ namespace: 'b', name: 'j' })).rejects.toThrow();
    expect(reads()).toBe(0); // nothing stored yet: nothing to react to
    api.put({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j', namespace: 'b' } });
    await apis.batch.readNamespacedJob({ namespace: 'b', name: 'j' });
    const job = await apis.batch.readNamespacedJob({ namespace: 'b', name: 'j' });

    expect(reads()).toBe(2);
    expect(job.status?.active).toBe(2);
    const pods = await apis.core.listNamespacedPod({ namespace: 'b', labelSelector: 'job-name=j' });
    expect(pods.items.map((pod) => pod.metadata?.name).sort()).toEqual(['j-1', 'j-2']);
  });
});

describe('waitFor', () => {
  it('resolves once the condition holds, and rejects when it never does', async () => {
    let ready = false;
    setTimeout(() => (ready = true), 30);
    await expect(waitFor(() => ready)).resolves.toBeUndefined();
    await expect(waitFor(() => false, 50)).rejects.toThrow('condition not met within 50 ms');
  });
});
