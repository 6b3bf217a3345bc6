/**
 * What the platform operator decides (endpoints, namespaces, node pools), passed in by
 * the caller; this library never reads the environment.
 */
import type { IToleration } from 'kubernetes-models/v1/Toleration';
import type { GpuType } from './service-spec';
import { Problems, type SpecProblem } from './errors';
import { Cpu, Size } from './quantities';
import {
  dns1035Label,
  dnsLabel,
  dnsSubdomain,
  httpUrl,
  integerIn,
  labelKey,
  labelValue,
} from './rules';

export type Labels = Readonly<Record<string, string>>;

/** Pods selected by namespace name and pod labels (a NetworkPolicy peer). */
export interface PeerSelector {
  readonly namespace: string;
  readonly podLabels: Labels;
}

export interface CollectorOptions extends PeerSelector {
  /** Base URL the SDKs post to (they append `/v1/traces`). */
  readonly endpoint: string;
  /** @default 4318 */
  readonly port?: number;
}

export interface EdgeOptions extends PeerSelector {
  /** The edge's Service, the backend of custom-domain Ingresses. */
  readonly serviceName: string;
  /** @default 8000 */
  readonly servicePort?: number;
}

export interface IngressOptions {
  /** @default the cluster's default IngressClass */
  readonly className?: string;
  /** cert-manager ClusterIssuer; when set, each domain gets a TLS certificate. @default none */
  readonly tlsClusterIssuer?: string;
  /** @default {} */
  readonly annotations?: Labels;
}

export interface GpuNodePool {
  readonly nodeSelector: Labels;
  /** @default [] */
  readonly tolerations?: readonly IToleration[];
}

export interface DefaultResources {
  readonly requests: { readonly cpu: Cpu; readonly memory: Size };
  readonly limits: { readonly cpu: Cpu; readonly memory: Size };
}

export interface PlatformOptions {
  readonly collector: CollectorOptions;
  readonly edge: EdgeOptions;
  /** Cluster DNS, allowed as egress. @default kube-system pods with `k8s-app: kube-dns` */
  readonly dns?: PeerSelector;
  /** @default {} */
  readonly ingress?: IngressOptions;
  /** Node selector and tolerations per GPU type; a GPU type without a pool cannot render. */
  readonly gpuNodePools?: Partial<Readonly<Record<GpuType, GpuNodePool>>>;
  /**
   * Registry credentials for pulls. With `dockerConfigJson` the Secret is rendered into
   * each project namespace; without, it must already exist there.
   * @default none
   */
  readonly imagePullSecret?: { readonly name: string; readonly dockerConfigJson?: string };
  /** @default 'slp' */
  readonly namespacePrefix?: string;
  /** @default requests 250m / 512Mi, limits 1 / 1Gi */
  readonly defaultResources?: DefaultResources;
  /** preStop pause so endpoints drop the pod before it stops. @default 10 */
  readonly drainSeconds?: number;
  /** Must exceed `drainSeconds`. @default drainSeconds + 30 */
  readonly terminationGracePeriodSeconds?: number;
  /** Let services reach public addresses (LLM APIs and the like). @default true */
  readonly allowPublicEgress?: boolean;
  /** @default the cluster's default StorageClass */
  readonly storageClassName?: string;
  /** Pods metric for GPU utilization (dcgm-exporter through an adapter). @default 'DCGM_FI_DEV_GPU_UTIL' */
  readonly gpuUtilizationMetric?: string;
  /** Pods metric for in-flight requests per instance. @default 'slipway_requests_in_flight' */
  readonly concurrencyMetric?: string;
}

export const DEFAULT_RESOURCES: DefaultResources = {
  requests: { cpu: Cpu.millis(250), memory: Size.mebibytes(512) },
  limits: { cpu: Cpu.cores(1), memory: Size.gibibytes(1) },
};

/** Platform options with every default applied. */
export interface ResolvedPlatform {
  readonly collector: Required<CollectorOptions>;
  readonly edge: Required<EdgeOptions>;
  readonly dns: PeerSelector;
  readonly ingress: IngressOptions;
  readonly gpuNodePools: Partial<Readonly<Record<GpuType, GpuNodePool>>>;
  readonly imagePullSecret: PlatformOptions['imagePullSecret'];
  readonly namespacePrefix: string;
  readonly defaultResources: DefaultResources;
  readonly drainSeconds: number;
  readonly terminationGracePeriodSeconds: number;
  readonly allowPublicEgress: boolean;
  readonly storageClassName: string | undefined;
  readonly gpuUtilizationMetric: string;
  readonly concurrencyMetric: string;
}

export function resolvePlatform(options: PlatformOptions): ResolvedPlatform {
  const drainSeconds = options.drainSeconds ?? 10;
  return {
    collector: { ...options.collector, port: options.collector.port ?? 4318 },
    edge: { ...options.edge, servicePort: options.edge.servicePort ?? 8000 },
    dns: options.dns ?? { namespace: 'kube-system', podLabels: { 'k8s-app': 'kube-dns' } },
    ingress: options.ingress ?? {},
    gpuNodePools: options.gpuNodePools ?? {},
    imagePullSecret: options.imagePullSecret,
    namespacePrefix: options.namespacePrefix ?? 'slp',
    defaultResources: options.defaultResources ?? DEFAULT_RESOURCES,
    drainSeconds,
    terminationGracePeriodSeconds: options.terminationGracePeriodSeconds ?? drainSeconds + 30,
    allowPublicEgress: options.allowPublicEgress ?? true,
    storageClassName: options.storageClassName,
    gpuUtilizationMetric: options.gpuUtilizationMetric ?? 'DCGM_FI_DEV_GPU_UTIL',
    concurrencyMetric: options.concurrencyMetric ?? 'slipway_requests_in_flight',
  };
}

function validateLabels(problems: Problems, path: string, labels: Labels | undefined): void {
  for (const [key, value] of Object.entries(labels ?? {})) {
    problems.add(`${path}[${JSON.stringify(key)}]`, labelKey(key) ?? labelValue(value));
  }
}

function validatePeer(problems: Problems, path: string, peer: PeerSelector): void {
  problems.add(`${path}.namespace`, dnsLabel(peer.namespace));
  if (Object.keys(peer.podLabels ?? {}).length === 0) {
    // An empty selector would open the policy to every pod in that namespace.
    problems.add(`${path}.podLabels`, 'must select the pods with at least one label');
  }
  validateLabels(problems, `${path}.podLabels`, peer.podLabels);
}

/** Every problem with the platform options (empty when they are usable). */
export function validatePlatformOptions(options: PlatformOptions): readonly SpecProblem[] {
  const problems = new Problems();
  const platform = resolvePlatform(options);
  validatePeer(problems, 'platform.collector', platform.collector);
  problems.add('platform.collector.endpoint', httpUrl(platform.collector.endpoint));
  problems.add('platform.collector.port', integerIn(platform.collector.port, 1, 65535));
  validatePeer(problems, 'platform.edge', platform.edge);
  problems.add('platform.edge.serviceName', dns1035Label(platform.edge.serviceName));
  problems.add('platform.edge.servicePort', integerIn(platform.edge.servicePort, 1, 65535));
  validatePeer(problems, 'platform.dns', platform.dns);
  problems.optional('platform.ingress.className', platform.ingress.className, dnsSubdomain);
  for (const [type, pool] of Object.entries(platform.gpuNodePools)) {
    validateLabels(problems, `platform.gpuNodePools.${type}.nodeSelector`, pool?.nodeSelector);
  }
  problems.optional('platform.imagePullSecret.name', platform.imagePullSecret?.name, dnsSubdomain);
  problems.add(
    'platform.namespacePrefix',
    dnsLabel(platform.namespacePrefix) ??
      (platform.namespacePrefix.length > 20 ? 'must be at most 20 characters' : undefined),
  );
  problems.add('platform.drainSeconds', integerIn(platform.drainSeconds, 0, 300));
  const grace = platform.terminationGracePeriodSeconds;
  problems.add(
    'platform.terminationGracePeriodSeconds',
    integerIn(grace, 1, 3600) ??
      (grace <= platform.drainSeconds
        ? `must be longer than drainSeconds so requests finish after the drain (got ${grace} ≤ ${platform.drainSeconds})`
        : undefined),
  );
  problems.optional('platform.storageClassName', platform.storageClassName, dnsSubdomain);
  return problems.all;
}
