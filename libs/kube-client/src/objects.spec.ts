/** Patching and deleting objects against the stand-in API server (no cluster runs here). */
import type { V1Deployment } from '@kubernetes/client-node';
import type { KubeApis } from './kube-apis';
import { KubernetesApiError, isNotFound } from './kube-errors';
import {
  deleteAndWait,
  deleteObject,
  describeObject,
  patchObject,
  refOf,
  type ObjectRef,
} from './objects';
import { startClients } from './test-support/stand-in';
import { objectPath, statusReply, type FakeKubeApi } from './testing';

let api: FakeKubeApi;
let apis: KubeApis;

beforeEach(async () => {
  ({ api, apis } = await startClients());
});

afterEach(() => api.close());

const job: ObjectRef = { apiVersion: 'batch/v1', kind: 'Job', namespace: 'builds', name: 'b-1' };
const jobPath = objectPath('batch/v1', 'Job', 'builds', 'b-1');

function storeJob(): void {
  api.put({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'b-1', namespace: 'builds' } });
}

class Cancelled extends Error {}
const waiting = (signal = new AbortController().signal) => ({
  signal,
  cancelled: () => new Cancelled('cancelled'),
  pollIntervalMs: 10,
  // Generous: only the test about the timeout itself (50 ms) should ever reach it.
  timeoutMs: 10_000,
});

describe('describeObject and refOf', () => {
  it('names namespaced and cluster-scoped objects', () => {
    expect(describeObject(job)).toBe('Job builds/b-1');
    const namespace = refOf({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'builds' } });
    expect(describeObject(namespace)).toBe('Namespace builds');
  });
});

describe('patchObject (stand-in API server)', () => {
  const deployment: ObjectRef = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    namespace: 'acme',
    name: 'web',
  };
  const template = {
    metadata: { labels: { app: 'web' } },
    spec: { containers: [{ name: 'app', image: 'registry.example/web:1' }] },
  };
  const selector = { matchLabels: { app: 'web' } };

  it('sends a JSON merge patch as the field manager and returns the stored object', async () => {
    api.put({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'acme', labels: { team: 'a', tier: 'web' } },
      spec: { replicas: 2, selector, template },
    });
    const patched = await patchObject<V1Deployment>(
      apis,
      deployment,
      { metadata: { labels: { tier: null } }, spec: { replicas: 0 } },
      'slipway-scale',
    );

    const request = api.requests.find((r) => r.method === 'PATCH');
    expect(request?.path).toBe(objectPath('apps/v1', 'Deployment', 'acme', 'web'));
    expect(request?.contentType).toBe('application/merge-patch+json');
    expect(request?.query.toString()).toBe('fieldManager=slipway-scale');
    expect(JSON.parse(request?.body ?? '')).toEqual({
      metadata: { labels: { tier: null } },
      spec: { replicas: 0 },
    });
    expect(patched.spec?.replicas).toBe(0);
    const stored = api.get('apps/v1', 'Deployment', 'acme', 'web');
    expect(stored?.spec).toEqual({ replicas: 0, selector, template });
    expect(stored?.metadata.labels).toEqual({ team: 'a' });
    expect(stored?.metadata.generation).toBe(2); // a spec change, as the API server counts it
  });

  it('reports a missing object as a KubernetesApiError with status 404', async () => {
    const failure = patchObject(apis, deployment, { spec: { replicas: 1 } }, 'slipway-scale');
    await expect(failure).rejects.toThrow(KubernetesApiError);
    await expect(failure).rejects.toThrow(
      'patch Deployment acme/web: the Kubernetes API answered 404',
    );
    expect(isNotFound(await failure.catch((error: unknown) => error))).toBe(true);
  });
});

describe('deleteObject (stand-in API server)', () => {
  it('deletes with the propagation policy asked for', async () => {
    storeJob();
    await expect(deleteObject(apis, job, 'Background')).resolves.toBe(true);
    const request = api.requests.find((r) => r.method === 'DELETE');
    expect(request?.path).toBe(jobPath);
    expect(request?.query.get('propagationPolicy')).toBe('Background');
    expect(api.get('batch/v1', 'Job', 'builds', 'b-1')).toBeUndefined();
  });

  it('resolves false for an object that is already gone', async () => {
    await expect(deleteObject(apis, job, 'Foreground')).resolves.toBe(false);
  });

  it('reports any other refusal as a KubernetesApiError naming the object', async () => {
    api.on((r) => (r.method === 'DELETE' ? statusReply(403, 'Forbidden', 'no') : undefined));
    const failure = deleteObject(apis, job, 'Background');
    await expect(failure).rejects.toThrow(KubernetesApiError);
    await expect(failure).rejects.toThrow(
      "delete Job builds/b-1: the Kubernetes API refused the test's credentials (403): no",
    );
  });
});

describe('deleteAndWait (stand-in API server)', () => {
  it('deletes in the foreground and returns once a read answers 404', async () => {
    storeJob();
    // The garbage collector takes two more reads to remove the Job's pods, then the Job.
    let reads = 0;
    api.on((request) => {
      if (request.method !== 'GET' || request.path !== jobPath) return undefined;
      reads += 1;
      return reads <= 2 ? { status: 200, body: { ...job, metadata: { name: 'b-1' } } } : undefined;
    });
    await deleteAndWait(apis, job, waiting());

    const deletion = api.requests.find((r) => r.method === 'DELETE');
    expect(deletion?.query.get('propagationPolicy')).toBe('Foreground');
    expect(reads).toBe(3);
  });

  it('gives up when the object outlives the timeout', async () => {
    storeJob();
    api.on((request) => (request.method === 'DELETE' ? { status: 200, body: {} } : undefined));
    await expect(deleteAndWait(apis, job, { ...waiting(), timeoutMs: 50 })).rejects.toThrow(
      'Job builds/b-1 is still being deleted after 0s',
    );
  });

  it("stops with the caller's cancellation error when the signal aborts", async () => {
    storeJob();
    api.on((request) => (request.method === 'DELETE' ? { status: 200, body: {} } : undefined));
    const cancel = new AbortController();
    const waited = deleteAndWait(apis, job, waiting(cancel.signal));
    setTimeout(() => cancel.abort(), 50);
    await expect(waited).rejects.toThrow(Cancelled);
  });
});
