import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeKubeApi } from '@slipway/kube-client/testing';

export interface StandInCluster {
  readonly api: FakeKubeApi;
  /** Stops the stand-in and points KUBECONFIG back where it was. */
  close(): Promise<void>;
}

/**
 * A started stand-in API server that the default kubeconfig points at (KUBECONFIG), so an
 * app started now with `runtime.driver: kubernetes` talks to it. No cluster runs here.
 */
export async function startStandInCluster(): Promise<StandInCluster> {
  const api = await FakeKubeApi.started();
  const dir = mkdtempSync(join(tmpdir(), 'slipway-kubeconfig-'));
  const kubeconfig = join(dir, 'config');
  writeFileSync(kubeconfig, api.kubeConfig().exportConfig());
  const before = process.env.KUBECONFIG;
  process.env.KUBECONFIG = kubeconfig;
  return {
    api,
    async close() {
      if (before === undefined) delete process.env.KUBECONFIG;
      else process.env.KUBECONFIG = before;
      rmSync(dir, { recursive: true, force: true });
      await api.close();
    },
  };
}
