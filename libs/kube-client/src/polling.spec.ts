import { createKubeApis, type KubeApis } from './kube-apis';
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

  it('rejects with the cancellation error as soon as the signal aborts', async () => {
    const cancel = new AbortController();
    const slept = sleepUnlessAborted(60_000, cancel.signal, cancelled);
    // Order, not wall-clock time (a loaded machine may pause this process for seconds): the
    // rejection must come before the event loop takes another turn, let alone the 60 s.
    let nextTurn = false;
    setImmediate(() => (nextTurn = true));
    cancel.abort();
    await expect(slept).rejects.toThrow(Cancelled);
    expect(nextTurn).toBe(false);
  });
});

describe('pollOnce (stand-in API server)', () => {
  let api: FakeKubeApi;
  /** Clients with the stand-in's generous request timeout: only a hung answer times out. */
  let apis: KubeApis;
  const poll = (
    signal = new AbortController().signal,
    clients = apis,
  ): Promise<string | undefined> =>
    pollOnce(
      clients,
      async () => {
        const pod = await clients.core.readNamespacedPod({ namespace: 'acme', name: 'web' });
        return pod.status?.phase;
      },
      { signal, cancelled, action: 'watch pod web' },
    );

  beforeEach(async () => {
    ({ api, apis } = await startClients());
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
    // A short timeout only where it is the point: this read never gets an answer.
    const impatient = createKubeApis(api.kubeConfig(), { caller: 'test', requestTimeoutMs: 200 });
    api.on(() => ({ stream: () => undefined }));
    await expect(poll(undefined, impatient)).resolves.toBeUndefined();
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
