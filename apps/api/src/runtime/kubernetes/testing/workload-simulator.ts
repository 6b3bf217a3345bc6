/**
 * Plays the Deployment or StatefulSet controller and the kubelet inside the stand-in, from
 * the stored workload's spec alone: pods come and go to match `replicas`, a changed pod
 * template rolls them (a new instance ready before an old one goes, as `maxUnavailable: 0`
 * asks), and a removed pod terminates for one tick before it is gone. Once the workload is
 * deleted, the garbage collector takes its pods the same way (and its ReplicaSets). The
 * world moves one tick on each read of the workload or of the namespace's pods, as the
 * driver polls.
 */
import { createHash } from 'node:crypto';
import { LABELS } from '@slipway/k8s-spec';
import { objectPath, type FakeKubeApi, type KubeObject } from '@slipway/kube-client/testing';
import { PENDING, RUNNING_READY } from './deployment-controller';

export interface SimulatedWorkload {
  readonly kind: 'Deployment' | 'StatefulSet';
  readonly namespace: string;
  readonly name: string;
  readonly serviceId: string;
  /** Ticks a started pod takes to pass readiness. @default 1 */
  readonly readyAfterTicks?: number;
}

export interface WorkloadSimulation {
  /** While held, pods started from then on never become ready. */
  holdReadiness(hold: boolean): void;
  /** The service's pods as stored now. */
  pods(): KubeObject[];
  /** Pods that are ready and not terminating, as `name uid`, sorted. */
  serving(): string[];
}

interface SimulatedPod {
  readonly name: string;
  readonly revision: string;
  readonly ordinal: number;
  /** The tick it passes readiness; undefined: never. */
  readonly readyAt: number | undefined;
  terminating: boolean;
}

interface WorkloadSpec {
  readonly replicas?: number;
  readonly template: { readonly metadata?: { readonly labels?: Record<string, string> } };
}

const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';
/** When a removed pod started terminating. */
const DELETED_AT = '2026-01-01T00:00:02Z';

export function simulateWorkload(api: FakeKubeApi, options: SimulatedWorkload): WorkloadSimulation {
  const { kind, namespace, name } = options;
  const workloadPath = objectPath('apps/v1', kind, namespace, name);
  const podsPath = objectPath('v1', 'Pod', namespace);
  const pods = new Map<string, SimulatedPod>();
  const revisions = new Map<string, number>(); // Deployment: template hash -> revision
  let latest: string | undefined; // Deployment: the newest template hash
  let tick = 0;
  let sequence = 0;
  let held = false;
  let currentRevision: string | undefined; // StatefulSet

  const stored = (): KubeObject | undefined => api.get('apps/v1', kind, namespace, name);

  const start = (revision: string, ordinal: number): void => {
    sequence += 1;
    const podName =
      kind === 'StatefulSet' ? `${name}-${ordinal}` : `${name}-${revision}-${sequence}`;
    const readyAt = held ? undefined : tick + (options.readyAfterTicks ?? 1);
    pods.set(podName, { name: podName, revision, ordinal, readyAt, terminating: false });
  };
  const started = (pod: SimulatedPod): boolean => pod.readyAt !== undefined && pod.readyAt <= tick;
  const ready = (pod: SimulatedPod): boolean => !pod.terminating && started(pod);

  const reconcile = (workload: KubeObject): void => {
    tick += 1;
    for (const pod of [...pods.values()].filter((p) => p.terminating)) {
      pods.delete(pod.name);
      api.remove('v1', 'Pod', namespace, pod.name);
    }
    const spec = workload.spec as WorkloadSpec;
    const desired = spec.replicas ?? 1;
    const revision = hashOf(spec.template);
    const live = (): SimulatedPod[] => [...pods.values()].filter((p) => !p.terminating);
    if (kind === 'Deployment') rollDeployment(revision, desired, live);
    else rollStatefulSet(revision, desired, live);
    for (const pod of pods.values()) storePod(spec, pod);
    if (kind === 'Deployment') storeReplicaSet(workload, revision);
    api.put({ ...withRevision(workload, revision), status: status(workload, revision) });
  };

  const rollDeployment = (revision: string, desired: number, live: () => SimulatedPod[]): void => {
    // A template seen before (a rollback) takes the next revision number, as Kubernetes does.
    if (revision !== latest) revisions.set(revision, Math.max(0, ...revisions.values()) + 1);
    latest = revision;
    const current = live().filter((p) => p.revision === revision);
    for (const extra of current.slice(desired)) extra.terminating = true;
    const hasOld = live().some((p) => p.revision !== revision);
    // A scale starts every missing pod at once; a rollout surges one at a time.
    const room = hasOld ? desired + 1 - live().length : desired - current.length;
    for (let i = 0; i < Math.min(room, desired - current.length); i += 1) start(revision, 0);
    let readyCount = live().filter(ready).length;
    for (const old of live().filter((p) => p.revision !== revision)) {
      if (!ready(old)) old.terminating = true;
      else if (readyCount - 1 >= desired) {
        old.terminating = true;
        readyCount -= 1;
      }
    }
  };

  const rollStatefulSet = (revision: string, desired: number, live: () => SimulatedPod[]): void => {
    currentRevision ??= revision;
    for (const pod of live().filter((p) => p.ordinal >= desired)) pod.terminating = true;
    for (let ordinal = 0; ordinal < desired; ordinal += 1) {
      if (!pods.has(`${name}-${ordinal}`)) start(revision, ordinal);
    }
    const all = live();
    // One instance at a time, highest ordinal first, once the others are ready.
    const old = all.filter((p) => p.revision !== revision).sort((a, b) => b.ordinal - a.ordinal);
    if (all.length === desired && all.every(ready) && old[0] !== undefined)
      old[0].terminating = true;
    const settled = all.length === desired && all.every((p) => p.revision === revision && ready(p));
    if (settled) currentRevision = revision;
  };

  const storePod = (spec: WorkloadSpec, pod: SimulatedPod): void => {
    const hashLabel = kind === 'Deployment' ? 'pod-template-hash' : 'controller-revision-hash';
    api.put({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: pod.name,
        namespace,
        labels: {
          ...spec.template.metadata?.labels,
          [LABELS.serviceId]: options.serviceId,
          [hashLabel]: kind === 'Deployment' ? pod.revision : `${name}-${pod.revision}`,
        },
        ...(pod.terminating ? { deletionTimestamp: DELETED_AT } : {}),
      },
      status: started(pod) ? RUNNING_READY : PENDING,
    });
  };

  const storeReplicaSet = (workload: KubeObject, revision: string): void => {
    api.put({
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name: `${name}-${revision}`,
        namespace,
        labels: { [LABELS.serviceId]: options.serviceId, 'pod-template-hash': revision },
        annotations: { [REVISION_ANNOTATION]: String(revisions.get(revision)) },
        ownerReferences: [
          { apiVersion: 'apps/v1', kind, name, uid: workload.metadata.uid, controller: true },
        ],
      },
    });
  };

  const withRevision = (workload: KubeObject, revision: string): KubeObject => {
    if (kind !== 'Deployment') return workload;
    const annotations = workload.metadata.annotations as Record<string, string> | undefined;
    const metadata = {
      ...workload.metadata,
      annotations: { ...annotations, [REVISION_ANNOTATION]: String(revisions.get(revision)) },
    };
    return { ...workload, metadata };
  };

  const status = (workload: KubeObject, revision: string): object => {
    const live = [...pods.values()].filter((p) => !p.terminating);
    const readyReplicas = live.filter(ready).length;
    const updatedReplicas = live.filter((p) => p.revision === revision).length;
    const common = {
      observedGeneration: workload.metadata.generation,
      replicas: live.length,
      updatedReplicas,
      readyReplicas,
      availableReplicas: readyReplicas,
    };
    if (kind === 'Deployment') return { ...common, conditions: [] };
    return {
      ...common,
      currentRevision: `${name}-${currentRevision ?? revision}`,
      updateRevision: `${name}-${revision}`,
    };
  };

  /** The workload is gone: its pods terminate for one tick, then go, its ReplicaSets with them. */
  const collectGarbage = (): void => {
    if (pods.size === 0) return;
    for (const pod of [...pods.values()]) {
      if (pod.terminating) {
        pods.delete(pod.name);
        api.remove('v1', 'Pod', namespace, pod.name);
        continue;
      }
      pod.terminating = true;
      const object = api.get('v1', 'Pod', namespace, pod.name);
      if (object === undefined) continue; // deleted already (a forced delete)
      api.put({ ...object, metadata: { ...object.metadata, deletionTimestamp: DELETED_AT } });
    }
    if (pods.size > 0) return;
    for (const revision of revisions.keys()) {
      api.remove('apps/v1', 'ReplicaSet', namespace, `${name}-${revision}`);
    }
    // A workload created again under the same name starts its history afresh.
    revisions.clear();
    latest = undefined;
    currentRevision = undefined;
  };

  api.on((request) => {
    if (request.method !== 'GET' || (request.path !== workloadPath && request.path !== podsPath)) {
      return undefined;
    }
    const workload = stored();
    if (workload !== undefined) reconcile(workload);
    else collectGarbage();
    return undefined;
  });

  const servicePods = (): KubeObject[] =>
    api
      .all('Pod')
      .filter(
        (pod) =>
          pod.metadata.namespace === namespace &&
          (pod.metadata.labels as Record<string, string> | undefined)?.[LABELS.serviceId] ===
            options.serviceId,
      );
  return {
    holdReadiness: (hold) => {
      held = hold;
    },
    pods: servicePods,
    serving: () =>
      servicePods()
        .filter((pod) => pod.metadata.deletionTimestamp === undefined && isReady(pod))
        .map((pod) => `${pod.metadata.name} ${String(pod.metadata.uid)}`)
        .sort(),
  };
}

function isReady(pod: KubeObject): boolean {
  const { conditions } = pod.status as { conditions?: { type: string; status: string }[] };
  return conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

function hashOf(template: unknown): string {
  return createHash('sha256').update(JSON.stringify(template)).digest('hex').slice(0, 10);
}
