/**
 * Dual-target contract specs: a real cluster when SLIPWAY_TEST_KUBECONFIG names a kubeconfig
 * file (the kind workflow sets it), the stand-in otherwise.
 */
import { homedir } from 'node:os';
import { KubeConfig } from '@kubernetes/client-node';
import { type KubeApis } from '../kube-apis';
import { deleteObject } from '../objects';

export const TEST_KUBECONFIG_ENV = 'SLIPWAY_TEST_KUBECONFIG';

export type ClusterKind = 'stand-in' | 'cluster';

/** The kubeconfig file SLIPWAY_TEST_KUBECONFIG names (`~/` expanded), if any. */
export function testKubeconfigPath(): string | undefined {
  const path = process.env[TEST_KUBECONFIG_ENV]?.trim();
  if (path === undefined || path === '') return undefined;
  return path.startsWith('~/') ? `${homedir()}${path.slice(1)}` : path;
}

/** Which target this run tests, known before anything starts (for timeouts). */
export function clusterKind(): ClusterKind {
  return testKubeconfigPath() === undefined ? 'stand-in' : 'cluster';
}

/** The real cluster's kubeconfig, or undefined when the run tests the stand-in. */
export function loadTestCluster(): KubeConfig | undefined {
  const path = testKubeconfigPath();
  if (path === undefined) return undefined;
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromFile(path);
  return kubeConfig;
}

/**
 * The end of a dual-target spec: its namespace deleted (with what is in it) when the cluster
 * was reached, so runs can repeat on the same cluster, then the cluster under test closed.
 */
export async function endClusterTest(
  cluster: { close(): Promise<void> } | undefined,
  apis: KubeApis | undefined,
  namespace: string,
): Promise<void> {
  try {
    if (cluster !== undefined && apis !== undefined) {
      const object = { apiVersion: 'v1', kind: 'Namespace', namespace: undefined, name: namespace };
      await deleteObject(apis, object, 'Background');
    }
  } finally {
    await cluster?.close();
  }
}

/**
 * Probes until `condition` holds (every 100 ms), failing after `timeoutMs` with the last
 * value seen.
 */
export async function eventually<T>(
  probe: () => Promise<T>,
  condition: (value: T) => boolean,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (condition(value)) return value;
    if (Date.now() > deadline) {
      const last = String(JSON.stringify(value)).slice(0, 2000);
      throw new Error(`condition not met within ${timeoutMs} ms; last: ${last}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
