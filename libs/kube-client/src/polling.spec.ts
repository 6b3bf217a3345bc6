import type { KubeApis } from './kube-apis';
import { KubernetesApiError } from './kube-errors';
import { pollOnce, sleepUnlessAborted, untilAborted } from './polling';
import { startClients } from './test-support/stand-in';
import { statusReply, type FakeKubeApi } from './testing';

class Cancelled extends Error {}
const cancelled = (): Error => new Cancelled('cancelled');

describe('untilAborted', () => {
  it('settles with the promise while the signal holds', async () => {
    const signal = new AbortController().signal;
    await expect(untilAborted(Promise.resolve(7), signal, cancelled)).resolves.toBe(7);
    await expect(untilAborted(Promise.reject(new Error('no')), signal, cancelled)).rejects.toThrow(
      'no',
    );
  });

  it('rejects with the cancellation error as soon as the signal aborts', async () => {
    const cancel = new AbortController();
    const never = new Promise<number>(() => undefined);
    const waited = untilAborted(never, cancel.signal, cancelled);
    cancel.abort();
    await expect(waited).rejects.toThrow(Cancelled);
    await expect(untilAborted(Promise.resolve(1), cancel.signal, cancelled)).rejects.toThrow(
      Cancelled,
    );
  });
});

describe('sleepUnlessAborted', () => {
  it('waits the time given', async () => {
    const started = Date.now();
    await sleepUnlessAborted(30, new AbortController().signal, cancelled);
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
  });

  it('rejects with the cancellation error when the signal aborts', async () => {
    const cancel = new AbortController();
    const started = Date.now();
    const slept = sleepUnlessAborted(10_000, cancel.signal, cancelled);
    cancel.abort();
    await expect(slept).rejects.toThrow(Cancelled);
    expect(Date.now() - started).toBeLessThan(1000);
  });
});

describe('pollOnce (stand-in API server)', () => {
  let api: FakeKubeApi;
  let apis: KubeApis;
  const poll = (signal = new AbortController().signal): Promise<string | undefined> =>
    pollOnce(
      apis,
      async () => {
        const pod = await apis.core.readNamespacedPod({ namespace: 'acme', name: 'web' });
        return pod.status?.phase;
      },
      { signal, cancelled, action: 'watch pod web' },
    );

  beforeEach(async () => {
    ({ api, apis } = await startClients({ requestTimeoutMs: 200 }));
    api.put({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'web', namespace: 'acme' },
      status: { phase: 'Running' },
    });
  });

  afterEach(() => api.close());

  it('resolves with what the read found', async () => {
    await expect(poll()).resolves.toBe('Running');
  });

  it('resolves undefined after a transient failure or a timeout, for the next tick', async () => {
    api.on(() => statusReply(410, 'Expired', 'too old resource version'));
    await expect(poll()).resolves.toBeUndefined();
    api.on(() => ({ stream: () => undefined }));
    await expect(poll()).resolves.toBeUndefined();
  });

  it('reports any other failure as a KubernetesApiError for the action', async () => {
    api.on(() => statusReply(403, 'Forbidden', 'pods is forbidden'));
    const failure = poll();
    await expect(failure).rejects.toThrow(KubernetesApiError);
    await expect(failure).rejects.toThrow(
      "watch pod web: the Kubernetes API refused the test's credentials (403): pods is forbidden",
    );
  });

  it('stops with the cancellation error as soon as the signal aborts', async () => {
    api.on(() => ({ stream: () => undefined }));
    const cancel = new AbortController();
    const polled = poll(cancel.signal);
    setTimeout(() => cancel.abort(), 20);
    await expect(polled).rejects.toThrow(Cancelled);
  });
});
