/**
 * Plays the Deployment controller and kubelet inside the stand-in: when the driver reads
 * the Deployment, the new ReplicaSet and its pod appear and the status moves on as scripted.
 */
import { LABELS } from '@slipway/k8s-spec';
import {
  onEachRead,
  putPod,
  type FakeKubeApi,
  type KubeObject,
} from '@slipway/kube-client/testing';

export const TEMPLATE_HASH = '7d9f8b6c5';

export interface Script {
  readonly namespace: string;
  readonly name: string;
  readonly serviceId: string;
  /** The Deployment reports every instance ready from this read on. @default never */
  readonly readyAfterPolls?: number;
  /** Status of the new pod (phase, conditions, containerStatuses). @default pending */
  readonly podStatus?: Record<string, unknown>;
  /** Deployment conditions to report (e.g. Progressing=False). */
  readonly conditions?: readonly Record<string, unknown>[];
}

export interface Controller {
  /** How often the driver has read the Deployment. */
  readonly polls: () => number;
  readonly podName: string;
}

export function runDeploymentController(api: FakeKubeApi, script: Script): Controller {
  const podName = `${script.name}-${TEMPLATE_HASH}-x4k2p`;
  const { namespace, name } = script;
  const polls = onEachRead(
    api,
    { apiVersion: 'apps/v1', kind: 'Deployment', namespace, name },
    (deployment, poll) => {
      const ready = script.readyAfterPolls !== undefined && poll >= script.readyAfterPolls;
      const stored = api.put(withStatus(deployment, ready, script));
      seedRevision(api, script, stored, podName, ready);
    },
  );
  return { polls, podName };
}

function withStatus(deployment: KubeObject, ready: boolean, script: Script): KubeObject {
  const generation = Number(deployment.metadata.generation);
  return {
    ...deployment,
    metadata: {
      ...deployment.metadata,
      annotations: {
        ...(deployment.metadata.annotations as Record<string, string>),
        'deployment.kubernetes.io/revision': '2',
      },
    },
    status: {
      observedGeneration: generation,
      replicas: ready ? 1 : 2,
      updatedReplicas: 1,
      readyReplicas: ready ? 1 : 0,
      availableReplicas: ready ? 1 : 0,
      conditions: script.conditions ?? [],
    },
  };
}

/** Pod status of a started, ready instance (shared by the stand-in controllers). */
export const RUNNING_READY = {
  phase: 'Running',
  startTime: '2026-01-01T00:00:00Z',
  conditions: [{ type: 'Ready', status: 'True' }],
  containerStatuses: [
    {
      name: 'app',
      ready: true,
      restartCount: 0,
      image: 'x',
      imageID: 'x',
      state: { running: { startedAt: '2026-01-01T00:00:01Z' } },
    },
  ],
};

/** Pod status of an instance whose container is still being created. */
export const PENDING = {
  phase: 'Pending',
  conditions: [{ type: 'PodScheduled', status: 'True' }],
  containerStatuses: [
    {
      name: 'app',
      ready: false,
      restartCount: 0,
      image: 'x',
      imageID: '',
      state: { waiting: { reason: 'ContainerCreating' } },
    },
  ],
};

function seedRevision(
  api: FakeKubeApi,
  script: Script,
  deployment: KubeObject,
  podName: string,
  ready: boolean,
): void {
  const labels = { [LABELS.serviceId]: script.serviceId, 'pod-template-hash': TEMPLATE_HASH };
  api.put({
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: `${script.name}-${TEMPLATE_HASH}`,
      namespace: script.namespace,
      labels,
      annotations: { 'deployment.kubernetes.io/revision': '2' },
      ownerReferences: [
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          name: script.name,
          uid: deployment.metadata.uid,
          controller: true,
        },
      ],
    },
  });
  putPod(api, {
    namespace: script.namespace,
    name: podName,
    labels: { ...labels, [LABELS.deploymentId]: 'dep-0002' },
    status: ready ? RUNNING_READY : (script.podStatus ?? PENDING),
  });
}
