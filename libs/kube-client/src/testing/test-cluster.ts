/**
 * Dual-target contract specs: a real cluster when SLIPWAY_TEST_KUBECONFIG names a kubeconfig
 * file (the kind workflow sets it), the stand-in otherwise.
 */
import { homedir } from 'node:os';
import { KubeConfig } from '@kubernetes/client-node';

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
