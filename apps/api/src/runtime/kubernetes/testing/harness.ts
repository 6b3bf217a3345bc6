/** What the runtime's contract tests share: a started driver, rollout options, what was applied. */
import { FakeKubeApi, type RecordedRequest } from '@slipway/kube-client/testing';
import type { RolloutOptions } from '../../runtime-driver';
import { KubernetesRuntimeDriver } from '../kubernetes-runtime.driver';
import { platform } from './fixtures';

/** A listening stand-in and a driver that polls it quickly; close `api` after each test. */
export async function startDriver(): Promise<{
  api: FakeKubeApi;
  driver: KubernetesRuntimeDriver;
}> {
  const api = await FakeKubeApi.started();
  const driver = new KubernetesRuntimeDriver(api.kubeConfig(), {
    platform,
    pollIntervalMs: 20,
    requestTimeoutMs: 2000,
  });
  return { api, driver };
}

export function rolloutOptions(overrides: Partial<RolloutOptions> = {}): RolloutOptions {
  return { signal: new AbortController().signal, readinessTimeoutMs: 5000, ...overrides };
}

/** The server-side applies the stand-in received, in order. */
export function applies(api: FakeKubeApi): RecordedRequest[] {
  return api.requests.filter((r) => r.method === 'PATCH');
}
