/** What the runtime's contract tests share: a started driver, rollout options, what was applied. */
import { LABELS } from '@slipway/k8s-spec';
import { FakeKubeApi, type RecordedRequest } from '@slipway/kube-client/testing';
import type { RolloutOptions } from '../../runtime-driver';
import { KubernetesRuntimeDriver } from '../kubernetes-runtime.driver';
import { platform } from './fixtures';

/**
 * A listening stand-in and a driver that polls it quickly; close `api` after each test. The
 * request and readiness timeouts are generous: a loaded machine may pause the test process
 * (stand-in and driver alike) for seconds. Tests of a timeout pass their own.
 */
export async function startDriver(): Promise<{
  api: FakeKubeApi;
  driver: KubernetesRuntimeDriver;
}> {
  const api = await FakeKubeApi.started();
  const driver = new KubernetesRuntimeDriver(api.kubeConfig(), {
    platform,
    pollIntervalMs: 20,
    requestTimeoutMs: 10_000,
  });
  return { api, driver };
}

export function rolloutOptions(overrides: Partial<RolloutOptions> = {}): RolloutOptions {
  return { signal: new AbortController().signal, readinessTimeoutMs: 20_000, ...overrides };
}

/** The server-side applies the stand-in received, in order. */
export function applies(api: FakeKubeApi): RecordedRequest[] {
  return api.requests.filter((r) => r.method === 'PATCH');
}

/** The hosts of the Ingresses the stand-in holds for one service, sorted. */
export function ingressHosts(api: FakeKubeApi, serviceId: string): string[] {
  return api
    .all('Ingress')
    .filter((ingress) => {
      const labels = ingress.metadata.labels as Record<string, string> | undefined;
      return labels?.[LABELS.serviceId] === serviceId;
    })
    .map((ingress) => {
      const rules = (ingress.spec as { rules?: { host?: string }[] } | undefined)?.rules;
      return rules?.[0]?.host ?? '';
    })
    .sort();
}
