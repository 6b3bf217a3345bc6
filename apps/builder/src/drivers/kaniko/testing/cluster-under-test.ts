/**
 * What the Kaniko driver's dual-target spec runs against: a real cluster when
 * `SLIPWAY_TEST_KUBECONFIG` names a kubeconfig file (the kind workflow sets it), the
 * stand-in API server otherwise. The stand-in has no Job controller, kubelet or kaniko, so
 * there the spec plays the build's Job (job-controller.ts) as the stand-in-only specs do;
 * on a cluster the real Job runs, and it needs a registry to push to and a source bundle
 * to download, both reachable from the cluster's pods.
 */
import type { KubeConfig } from '@kubernetes/client-node';
import { FakeKubeApi, TEST_KUBECONFIG_ENV, loadTestCluster } from '@slipway/kube-client/testing';
import { payload } from './fixtures';

export const CLUSTER_ENV = {
  kubeconfig: TEST_KUBECONFIG_ENV,
  /** `host[:port]` of a registry that takes anonymous pushes over plain HTTP. */
  registry: 'SLIPWAY_TEST_KANIKO_REGISTRY',
  /** URL of a .tar.gz source bundle with a Dockerfile at its root. */
  bundleUrl: 'SLIPWAY_TEST_KANIKO_BUNDLE_URL',
} as const;

export { clusterKind } from '@slipway/kube-client/testing';

/** Where the builds of the run push and what they download. */
export interface BuildTarget {
  readonly registry: string;
  readonly bundleUrl: string;
}

interface Common {
  readonly kubeConfig: KubeConfig;
  readonly build: BuildTarget;
  /** Stops the stand-in; a cluster is left as it is (the spec deletes what it made). */
  close(): Promise<void>;
}

export type ClusterUnderTest =
  | (Common & { readonly kind: 'stand-in'; readonly api: FakeKubeApi })
  | (Common & { readonly kind: 'cluster' });

/**
 * Loads the cluster's kubeconfig, or starts the stand-in. Against a cluster, throws naming
 * the variables a real build needs when any is unset: the spec fails, it is not skipped.
 */
export async function startClusterUnderTest(): Promise<ClusterUnderTest> {
  const kubeConfig = loadTestCluster();
  if (kubeConfig === undefined) {
    const api = await FakeKubeApi.started();
    // Nothing is pushed or downloaded here: the fixture's addresses do.
    const build = {
      registry: payload.destination.split('/')[0] ?? '',
      bundleUrl: payload.bundle.url,
    };
    return { kind: 'stand-in', kubeConfig: api.kubeConfig(), api, build, close: () => api.close() };
  }
  const registry = env(CLUSTER_ENV.registry);
  const bundleUrl = env(CLUSTER_ENV.bundleUrl);
  if (registry === undefined || bundleUrl === undefined) {
    const missing = [
      registry === undefined ? CLUSTER_ENV.registry : undefined,
      bundleUrl === undefined ? CLUSTER_ENV.bundleUrl : undefined,
    ].filter((name) => name !== undefined);
    throw new Error(
      `${CLUSTER_ENV.kubeconfig} is set, so the Kaniko builds run on that cluster and need ` +
        `${CLUSTER_ENV.registry} (host[:port] of a registry taking anonymous pushes over plain HTTP) ` +
        `and ${CLUSTER_ENV.bundleUrl} (a .tar.gz with a Dockerfile at its root), both reachable ` +
        `from the cluster's pods; not set: ${missing.join(', ')}`,
    );
  }
  return {
    kind: 'cluster',
    kubeConfig,
    build: { registry, bundleUrl },
    close: () => Promise.resolve(),
  };
}

function env(name: string): string | undefined {
  const value = process.env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}
