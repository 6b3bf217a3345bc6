/** For this library's own specs: a listening stand-in and clients talking to it. */
import { createKubeApis, type KubeApis, type KubeClientOptions } from '../kube-apis';
import { FakeKubeApi } from '../testing';

/** Close `api` after the test. */
export async function startClients(
  options: Partial<KubeClientOptions> = {},
): Promise<{ api: FakeKubeApi; apis: KubeApis }> {
  const api = await FakeKubeApi.started();
  const apis = createKubeApis(api.kubeConfig(), {
    caller: 'test',
    requestTimeoutMs: 10_000,
    ...options,
  });
  return { api, apis };
}
