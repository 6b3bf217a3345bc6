/**
 * A service's CPU and memory on the `kubernetes` runtime, from the metrics API
 * (metrics.k8s.io, served by the metrics-server add-on): the latest sample of each of its
 * running pods' containers, summed.
 */
import { isNotFound, kubernetesApiError, type KubeApis } from '@slipway/kube-client';
import { UsageUnavailableError, type ResourceUsage } from '../runtime-driver';

const METRICS_API_VERSION = 'metrics.k8s.io/v1beta1';
const NO_METRICS_API = 'the cluster has no metrics API (install metrics-server)';

/** The fields of a PodMetrics item read here. */
interface PodMetrics {
  readonly containers?: readonly {
    readonly usage?: { readonly cpu?: string; readonly memory?: string };
  }[];
}

export interface PodUsageQuery {
  readonly namespace: string;
  /** `key=value` label selector of the service's pods. */
  readonly labelSelector: string;
  /** Names the service in error messages. */
  readonly serviceName: string;
}

/** Sums the usage of the selected pods (0 with none); UsageUnavailableError without a metrics API. */
export async function readPodUsage(apis: KubeApis, query: PodUsageQuery): Promise<ResourceUsage> {
  let items: readonly PodMetrics[];
  try {
    const list = await apis.objects.list(
      METRICS_API_VERSION,
      'PodMetrics',
      query.namespace,
      undefined,
      undefined,
      undefined,
      undefined,
      query.labelSelector,
    );
    items = list.items as readonly PodMetrics[];
  } catch (error) {
    // Discovery of the group (or the list) answers 404 where metrics-server is not installed.
    if (isNotFound(error)) throw new UsageUnavailableError(NO_METRICS_API);
    throw kubernetesApiError(error, `read the pod metrics of ${query.serviceName}`, apis.options);
  }
  let cpuCores = 0;
  let memoryBytes = 0;
  for (const container of items.flatMap((item) => item.containers ?? [])) {
    cpuCores += parseQuantity(container.usage?.cpu ?? '0');
    memoryBytes += parseQuantity(container.usage?.memory ?? '0');
  }
  return { cpuCores, memoryBytes };
}

/** Powers of ten of the decimal suffixes, and of two of the binary ones. */
const DECIMAL_EXPONENTS: Readonly<Record<string, number>> = {
  n: -9,
  u: -6,
  m: -3,
  k: 3,
  M: 6,
  G: 9,
  T: 12,
  P: 15,
  E: 18,
};
const BINARY_EXPONENTS: Readonly<Record<string, number>> = {
  Ki: 10,
  Mi: 20,
  Gi: 30,
  Ti: 40,
  Pi: 50,
  Ei: 60,
};

/**
 * A Kubernetes quantity as a plain number: `"12345678n"` is 0.012345678 (cores),
 * `"64Mi"` 67108864 (bytes). @slipway/k8s-spec's Cpu and Size parse what a spec may say
 * (whole millicores, whole bytes); the metrics API also answers nanocores and exponents.
 */
export function parseQuantity(text: string): number {
  const match = /^(\d+(?:\.\d*)?|\.\d+)(?:[eE]([+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]))?$/.exec(
    text.trim(),
  );
  if (match === null) throw new Error(`not a Kubernetes quantity: "${text}"`);
  const [, amount = '', exponent, suffix = ''] = match;
  const binary = BINARY_EXPONENTS[suffix];
  if (binary !== undefined) return Number(amount) * 2 ** binary;
  // Scaling in the decimal text, not by multiplying, keeps "250m" exactly 0.25.
  return Number(`${amount}e${exponent ?? DECIMAL_EXPONENTS[suffix] ?? 0}`);
}
