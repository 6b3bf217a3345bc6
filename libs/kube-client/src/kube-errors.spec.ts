/** Reading failures the stand-in API server answers with (no cluster runs here). */
import type { KubeApis } from './kube-apis';
import {
  KubernetesApiError,
  apiMessage,
  isNotFound,
  isTransient,
  kubernetesApiError,
  statusOf,
} from './kube-errors';
import { startClients } from './test-support/stand-in';
import { FakeKubeApi, statusReply } from './testing';

let api: FakeKubeApi;
let apis: KubeApis;

beforeEach(async () => {
  ({ api, apis } = await startClients({ caller: 'builder' }));
});

afterEach(() => api.close());

/** What reading pod `web` in `acme` rejects with. */
function readPod(client: KubeApis = apis): Promise<unknown> {
  return client.core.readNamespacedPod({ namespace: 'acme', name: 'web' }).then(
    () => {
      throw new Error('expected the read to fail');
    },
    (error: unknown) => error,
  );
}

function answer(status: number, reason: string, message: string): void {
  api.on(() => statusReply(status, reason, message));
}

describe('kube errors (stand-in API server)', () => {
  it('reads the status and the Status message of a refusal', async () => {
    const error = await readPod();
    expect(statusOf(error)).toBe(404);
    expect(isNotFound(error)).toBe(true);
    expect(apiMessage(error)).toBe('pods "web" not found');
  });

  it('names the caller whose credentials were refused, keeping the status and the cause', async () => {
    answer(403, 'Forbidden', 'pods "web" is forbidden: User "builder" cannot get');
    const cause = await readPod();
    const error = kubernetesApiError(cause, 'read pod web', apis.options);

    expect(error).toBeInstanceOf(KubernetesApiError);
    expect(error.message).toBe(
      `read pod web: the Kubernetes API refused the builder's credentials (403): pods "web" is forbidden: User "builder" cannot get`,
    );
    expect(error.status).toBe(403);
    expect(statusOf(error)).toBe(403);
    expect(error.cause).toBe(cause);
    expect(kubernetesApiError(error, 'something else', apis.options)).toBe(error);
  });

  it('reports other statuses with the API server message, and a bodiless one by its code', async () => {
    answer(500, 'InternalError', 'etcdserver: request timed out');
    expect(kubernetesApiError(await readPod(), 'read pod web', apis.options).message).toBe(
      'read pod web: the Kubernetes API answered 500: etcdserver: request timed out',
    );
    api.on(() => ({ status: 502 }));
    expect(apiMessage(await readPod())).toBe('HTTP 502');
  });

  it('says when the API server cannot be reached, and counts that as transient', async () => {
    await api.close();
    const error = await readPod();
    const reported = kubernetesApiError(error, 'read pod web', apis.options);
    expect(reported.status).toBeUndefined();
    expect(reported.message).toMatch(/^read pod web: the Kubernetes API could not be reached: /);
    expect(isTransient(error)).toBe(true);
    api = await FakeKubeApi.started(); // for afterEach
  });

  it.each([
    [410, true],
    [429, true],
    [503, true],
    [400, false],
    [403, false],
    [404, false],
    [422, false],
  ])('treats an answer of %i as transient: %s', async (status, transient) => {
    answer(status, 'Whatever', 'scripted');
    expect(isTransient(await readPod())).toBe(transient);
  });
});
