/**
 * What a dual-target contract spec runs against: a real cluster when
 * `SLIPWAY_TEST_KUBECONFIG` names a kubeconfig file (the kind workflow sets it), the
 * stand-in API server otherwise. On the stand-in the controllers and the kubelet are played
 * for every workload the code under test applies (workload-simulator.ts: pods start, pass
 * readiness, scale, roll and are garbage-collected), and each running pod serves a log; on
 * a cluster nothing is simulated. A spec written against it asserts only what both show.
 */
import type { KubeConfig } from '@kubernetes/client-node';
import { CONTAINER_CONTRACT, LABELS } from '@slipway/k8s-spec';
import { APPLY_CONTENT_TYPE } from '@slipway/kube-client';
import {
  FakeKubeApi,
  loadTestCluster,
  statusReply,
  type ClusterKind,
  type KubeObject,
  type RecordedRequest,
  type Reply,
} from '@slipway/kube-client/testing';
import { simulateWorkload } from './workload-simulator';

export { TEST_KUBECONFIG_ENV, clusterKind } from '@slipway/kube-client/testing';

export interface ClusterUnderTest {
  readonly kind: ClusterKind;
  readonly kubeConfig: KubeConfig;
  /** Stops the stand-in; a cluster is left as it is (each spec deletes what it made). */
  close(): Promise<void>;
}

export interface ClusterUnderTestOptions {
  /**
   * What every app container prints when it starts. The stand-in's kubelet serves it as
   * each running pod's log; on a cluster the containers print their own.
   * @default nothing
   */
  readonly containerOutput?: readonly string[];
}

export async function startClusterUnderTest(
  options: ClusterUnderTestOptions = {},
): Promise<ClusterUnderTest> {
  const kubeConfig = loadTestCluster();
  if (kubeConfig !== undefined) {
    return { kind: 'cluster', kubeConfig, close: () => Promise.resolve() };
  }
  const api = await FakeKubeApi.started();
  simulateAppliedWorkloads(api);
  serveContainerLogs(api, options.containerOutput ?? []);
  return { kind: 'stand-in', kubeConfig: api.kubeConfig(), close: () => api.close() };
}

const WORKLOAD_PATH =
  /^\/apis\/apps\/v1\/namespaces\/([^/]+)\/(deployments|statefulsets)\/([^/]+)$/;

/** Each Deployment or StatefulSet gets its simulated controller when it is first applied. */
function simulateAppliedWorkloads(api: FakeKubeApi): void {
  const simulated = new Set<string>();
  api.on((request) => {
    const match = WORKLOAD_PATH.exec(request.path);
    if (match === null || !isApply(request) || simulated.has(request.path)) return undefined;
    const [, namespace = '', plural, name = ''] = match;
    const labels = (JSON.parse(request.body) as KubeObject).metadata.labels as
      Record<string, string> | undefined;
    const serviceId = labels?.[LABELS.serviceId];
    if (serviceId === undefined) return undefined;
    simulated.add(request.path);
    const kind = plural === 'deployments' ? 'Deployment' : 'StatefulSet';
    // Once this request is answered: a handler added while the stand-in runs its handlers
    // would upset their order.
    queueMicrotask(() => simulateWorkload(api, { kind, namespace, name, serviceId }));
    return undefined;
  });
}

function isApply(request: RecordedRequest): boolean {
  return request.method === 'PATCH' && request.contentType?.startsWith(APPLY_CONTENT_TYPE) === true;
}

const LOG_PATH = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/log$/;

/**
 * The kubelet's log endpoint for the app container: `output` once the container runs
 * (with its start time when timestamps are asked for), 400 while it has not started or
 * for a previous container it never had, 404 for a pod that does not exist. The stream
 * ends after the output, followed or not.
 */
function serveContainerLogs(api: FakeKubeApi, output: readonly string[]): void {
  api.on((request) => {
    const match = LOG_PATH.exec(request.path);
    if (request.method !== 'GET' || match === null) return undefined;
    const [, namespace = '', name = ''] = match;
    const pod = api.get('v1', 'Pod', namespace, name);
    if (pod === undefined) return statusReply(404, 'NotFound', `pods "${name}" not found`);
    const container = CONTAINER_CONTRACT.containerName;
    if (request.query.get('previous') === 'true') {
      return statusReply(
        400,
        'BadRequest',
        `previous terminated container "${container}" in pod "${name}" not found`,
      );
    }
    const startedAt = runningSince(pod);
    if (startedAt === undefined) {
      return statusReply(
        400,
        'BadRequest',
        `container "${container}" in pod "${name}" is waiting to start: ContainerCreating`,
      );
    }
    return logReply(request, output, startedAt);
  });
}

function runningSince(pod: KubeObject): string | undefined {
  const status = pod.status as
    | { containerStatuses?: { name: string; state?: { running?: { startedAt?: string } } }[] }
    | undefined;
  const app = status?.containerStatuses?.find((s) => s.name === CONTAINER_CONTRACT.containerName);
  return app?.state?.running?.startedAt;
}

function logReply(request: RecordedRequest, output: readonly string[], startedAt: string): Reply {
  const since = request.query.get('sinceTime');
  const printed = since !== null && Date.parse(startedAt) < Date.parse(since) ? [] : output;
  const tail = request.query.get('tailLines');
  const lines = tail === null ? printed : printed.slice(printed.length - Number(tail));
  const timestamps = request.query.get('timestamps') === 'true';
  const body = lines.map((line) => `${timestamps ? `${startedAt} ` : ''}${line}\n`).join('');
  return {
    stream: (response) => {
      response.writeHead(200, { 'content-type': 'text/plain' });
      response.end(body);
    },
  };
}
