/**
 * The `kubernetes` runtime: server-side apply of the @slipway/k8s-spec objects (field
 * manager `slipway`), a polled rollout to readiness or a reasoned failure, and reads of the
 * service's pods by its id label. A project's services share its namespace.
 */
import type { Readable } from 'node:stream';
import type { KubeConfig, V1PersistentVolumeClaim, V1Pod } from '@kubernetes/client-node';
import {
  LABELS,
  SERVICE_OBJECT_KINDS,
  SpecValidationError,
  renderDomainIngresses,
  renderServiceObjects,
  serviceLabelSelector,
  serviceNames,
  type PlatformOptions,
  type ServiceObject,
  type ServiceObjectNames,
  type ServiceSpec,
} from '@slipway/k8s-spec';
import {
  createKubeApis,
  isNotFound,
  kubernetesApiError,
  refOf,
  type KindRef,
  type KubeApis,
} from '@slipway/kube-client';
import {
  InstanceNotFoundError,
  RolloutCancelledError,
  RolloutFailedError,
  type Endpoint,
  type Instance,
  type LogOptions,
  type RolloutOptions,
  type ResourceUsage,
  type OwnedInstance,
  type RolloutResult,
  type RuntimeDriver,
  type ServiceLogLine,
  type ServiceLogQuery,
  type DeleteOptions,
  type ServiceRef,
  type ServiceVolume,
  VolumeTransferError,
} from '../runtime-driver';
import { applyObjects, deleteSelected, objectKey, type Scope } from './apply';
import { newestFirst, toInstance } from './instances';
import { isPodReady } from './pod-failures';
import { streamPodLogs } from './pod-logs';
import { readPodServiceLogs } from './pod-service-logs';
import { readPodUsage } from './pod-usage';
import { waitForRollout } from './rollout-watch';
import { clusterServiceEndpoint, namesForRef } from './service-names';
import {
  restartWorkload,
  scaleWorkload,
  type WorkloadOperationContext,
} from './workload-operations';

const UNSUPPORTED_TRANSFERS =
  'volume backups and restores are available on the docker runtime only (on Kubernetes, use your storage class snapshots: VolumeSnapshot)';

export interface KubernetesRuntimeOptions {
  /** What the platform operator decides (collector, edge, node pools, ...), passed to the renderer. */
  readonly platform: PlatformOptions;
  /** @default 'slipway' */
  readonly fieldManager?: string;
  /** How often the rollout's progress is read. @default 2000 */
  readonly pollIntervalMs?: number;
  /** Bound on every API request (log streams excepted). @default 30000 */
  readonly requestTimeoutMs?: number;
}

const WORKLOAD_KINDS: ReadonlySet<string> = new Set(['Deployment', 'StatefulSet']);

export class KubernetesRuntimeDriver implements RuntimeDriver {
  readonly kind = 'kubernetes' as const;
  private readonly apis: KubeApis;
  private readonly fieldManager: string;
  private readonly pollIntervalMs: number;

  constructor(
    private readonly kubeConfig: KubeConfig,
    private readonly options: KubernetesRuntimeOptions,
  ) {
    this.fieldManager = options.fieldManager ?? 'slipway';
    this.pollIntervalMs = options.pollIntervalMs ?? 2000;
    this.apis = createKubeApis(kubeConfig, {
      caller: 'runtime',
      requestTimeoutMs: options.requestTimeoutMs ?? 30_000,
    });
  }

  async rollout(spec: ServiceSpec, options: RolloutOptions): Promise<RolloutResult> {
    if (options.signal.aborted) throw new RolloutCancelledError();
    const objects = this.render(spec);
    const names = serviceNames(spec, this.options.platform);
    await applyObjects(this.apis, objects, {
      fieldManager: this.fieldManager,
      signal: options.signal,
    });
    options.onProgress?.(`applied ${objects.length} objects`);
    const keep = new Set(objects.map((object) => objectKey(refOf(object))));
    // What the render dropped goes now (a stale HPA would fight the new replica count), but
    // a replaced workload (Deployment <-> StatefulSet) only once its successor is ready.
    await this.prune(spec.service.id, names, keep, (kind) => !WORKLOAD_KINDS.has(kind.kind));
    const workload = objects.find((object) => WORKLOAD_KINDS.has(object.kind));
    if (workload !== undefined) {
      await waitForRollout(this.apis, {
        namespace: names.namespace,
        workload: {
          kind: workload.kind === 'StatefulSet' ? 'StatefulSet' : 'Deployment',
          name: names.base,
        },
        labelSelector: serviceLabelSelector(spec.service.id),
        signal: options.signal,
        readinessTimeoutMs: options.readinessTimeoutMs,
        pollIntervalMs: this.pollIntervalMs,
        onProgress: options.onProgress,
      });
    }
    await this.prune(spec.service.id, names, keep, (kind) => WORKLOAD_KINDS.has(kind.kind));
    return { endpoints: [clusterServiceEndpoint(names)] };
  }

  scale(spec: ServiceSpec, options: RolloutOptions): Promise<RolloutResult> {
    return scaleWorkload(this.operationContext(), spec, options);
  }

  restart(spec: ServiceSpec, options: RolloutOptions): Promise<RolloutResult> {
    return restartWorkload(this.operationContext(), spec, options);
  }

  async serviceLogs(ref: ServiceRef, query: ServiceLogQuery): Promise<ServiceLogLine[]> {
    const { namespace } = this.names(ref);
    const pods = await this.pods(ref);
    return readPodServiceLogs(this.kubeConfig, this.apis.options, namespace, pods, query);
  }

  /** From metrics.k8s.io, an add-on (metrics-server): UsageUnavailableError without it. */
  usage(ref: ServiceRef): Promise<ResourceUsage> {
    return readPodUsage(this.apis, {
      namespace: this.names(ref).namespace,
      labelSelector: serviceLabelSelector(ref.service.id),
      serviceName: ref.service.name,
    });
  }

  async instances(ref: ServiceRef): Promise<Instance[]> {
    return newestFirst(await this.pods(ref)).map(toInstance);
  }

  async endpoints(ref: ServiceRef): Promise<Endpoint[]> {
    const pods = await this.pods(ref);
    return pods.some(isPodReady) ? [clusterServiceEndpoint(this.names(ref))] : [];
  }

  /** Deployments and StatefulSets drain and stop replaced pods themselves. */
  retire(): Promise<void> {
    return Promise.resolve();
  }

  /** Pods belong to their workloads, which `delete` removes: nothing is left to reap. */
  ownedInstances(): Promise<OwnedInstance[]> {
    return Promise.resolve([]);
  }

  reap(): Promise<void> {
    return Promise.resolve();
  }

  /** The API server's readiness is the cluster's concern; each call reports its own failures. */
  ping(): Promise<void> {
    return Promise.resolve();
  }

  async applyDomains(ref: ServiceRef, domains: readonly string[]): Promise<void> {
    const ingresses = renderDomainIngresses(
      { ...ref, customDomains: domains },
      this.options.platform,
    );
    await applyObjects(this.apis, ingresses, {
      fieldManager: this.fieldManager,
      signal: new AbortController().signal,
    });
    const keep = new Set(ingresses.map((ingress) => objectKey(refOf(ingress))));
    await this.prune(ref.service.id, this.names(ref), keep, (kind) => kind.kind === 'Ingress');
  }

  async logs(ref: ServiceRef, instance: string, options: LogOptions): Promise<Readable> {
    const { namespace } = this.names(ref);
    let pod: V1Pod;
    try {
      pod = await this.apis.core.readNamespacedPod({ namespace, name: instance });
    } catch (error) {
      if (isNotFound(error)) throw new InstanceNotFoundError(instance);
      throw kubernetesApiError(error, `read pod ${instance}`, this.apis.options);
    }
    // Another service's pod in the same project namespace is not this service's instance.
    if (pod.metadata?.labels?.[LABELS.serviceId] !== ref.service.id) {
      throw new InstanceNotFoundError(instance);
    }
    return streamPodLogs(this.kubeConfig, this.apis.options, { namespace, pod: instance }, options);
  }

  async delete(
    ref: ServiceRef,
    _builtImages?: readonly string[],
    options?: DeleteOptions,
  ): Promise<void> {
    const labelSelector = serviceLabelSelector(ref.service.id);
    const names = this.names(ref);
    if (options?.keepVolumes === true) await this.retainClaims(names);
    await deleteSelected(this.apis, { labelSelector, scopes: this.scopes(names, () => true) });
    if (options?.force !== true) return; // the pods go with their workload, after their grace
    await deleteSelected(this.apis, {
      labelSelector,
      scopes: [{ namespace: names.namespace, kinds: [{ apiVersion: 'v1', kind: 'Pod' }] }],
      gracePeriodSeconds: 0,
    });
  }

  /** A StatefulSet deletes its claims with it unless told to retain them. */
  private async retainClaims(names: ServiceObjectNames): Promise<void> {
    try {
      await this.apis.objects.mergePatch(
        {
          apiVersion: 'apps/v1',
          kind: 'StatefulSet',
          metadata: { namespace: names.namespace, name: names.base },
        },
        { spec: { persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain' } } },
        `${this.fieldManager}-delete`,
      );
    } catch (error) {
      if (isNotFound(error)) return; // stateless, or already gone
      throw kubernetesApiError(error, `keep the volumes of ${names.base}`, this.apis.options);
    }
  }

  private render(spec: ServiceSpec): readonly ServiceObject[] {
    try {
      return renderServiceObjects(spec, this.options.platform);
    } catch (error) {
      // Deterministic: the same spec fails the same way, so it is the deployment's failure.
      if (error instanceof SpecValidationError) {
        throw new RolloutFailedError(`the service spec is invalid: ${error.message}`);
      }
      throw error;
    }
  }

  private async prune(
    serviceId: string,
    names: ServiceObjectNames,
    keep: ReadonlySet<string>,
    which: (kind: KindRef) => boolean,
  ): Promise<void> {
    await deleteSelected(this.apis, {
      labelSelector: serviceLabelSelector(serviceId),
      scopes: this.scopes(names, which),
      keep,
    });
  }

  /** Ingresses live in the edge's namespace (the edge is their backend); the rest in the project's. */
  private scopes(names: ServiceObjectNames, which: (kind: KindRef) => boolean): Scope[] {
    const kinds = SERVICE_OBJECT_KINDS.filter(which);
    const edge = kinds.filter((kind) => kind.kind === 'Ingress');
    const project = kinds.filter((kind) => kind.kind !== 'Ingress');
    return [
      { namespace: names.namespace, kinds: project },
      { namespace: this.options.platform.edge.namespace, kinds: edge },
    ].filter((scope) => scope.kinds.length > 0);
  }

  private operationContext(): WorkloadOperationContext {
    return {
      apis: this.apis,
      platform: this.options.platform,
      fieldManager: this.fieldManager,
      pollIntervalMs: this.pollIntervalMs,
    };
  }

  private names(ref: ServiceRef): ServiceObjectNames {
    return namesForRef(ref, this.options.platform);
  }

  /** The StatefulSet's claims: `<volume>-<statefulset>-<ordinal>`, labelled as the service's. */
  async volumes(ref: ServiceRef): Promise<ServiceVolume[]> {
    const { namespace, base } = this.names(ref);
    let claims: V1PersistentVolumeClaim[];
    try {
      const list = await this.apis.core.listNamespacedPersistentVolumeClaim({
        namespace,
        labelSelector: serviceLabelSelector(ref.service.id),
      });
      claims = list.items;
    } catch (error) {
      if (isNotFound(error)) return [];
      throw kubernetesApiError(error, `list the volumes of ${ref.service.name}`, this.apis.options);
    }
    const pods = await this.pods(ref);
    const mounted = new Set(
      pods
        .filter((pod) => pod.status?.phase === 'Running')
        .flatMap((pod) => (pod.spec?.volumes ?? []).map((v) => v.persistentVolumeClaim?.claimName)),
    );
    return claims
      .flatMap((claim) => {
        const name = claim.metadata?.name ?? '';
        const match = new RegExp(`^(.+)-${base}-(\\d+)$`).exec(name);
        if (!match?.[1] || !match[2]) return [];
        return [
          {
            name: match[1],
            ordinal: Number(match[2]),
            size: claim.spec?.resources?.requests?.storage ?? null,
            usedBytes: null,
            attached: mounted.has(name),
            runtimeName: name,
          },
        ];
      })
      .sort((a, b) => a.name.localeCompare(b.name) || a.ordinal - b.ordinal);
  }

  /** Reading a claim's content needs a pod that mounts it: not built yet. */
  exportVolume(): Promise<NodeJS.ReadableStream> {
    return Promise.reject(new VolumeTransferError(UNSUPPORTED_TRANSFERS));
  }

  importVolume(): Promise<void> {
    return Promise.reject(new VolumeTransferError(UNSUPPORTED_TRANSFERS));
  }

  private async pods(ref: ServiceRef): Promise<V1Pod[]> {
    const { namespace } = this.names(ref);
    try {
      const list = await this.apis.core.listNamespacedPod({
        namespace,
        labelSelector: serviceLabelSelector(ref.service.id),
      });
      return list.items;
    } catch (error) {
      if (isNotFound(error)) return []; // the project's namespace does not exist yet
      throw kubernetesApiError(error, `list the pods of ${ref.service.name}`, this.apis.options);
    }
  }
}
