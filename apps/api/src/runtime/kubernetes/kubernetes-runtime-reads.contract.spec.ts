/**
 * Instances, endpoints, logs and delete of the `kubernetes` runtime against a stand-in
 * API server (no cluster runs here).
 */
import { LABELS } from '@slipway/k8s-spec';
import {
  statusReply,
  waitFor,
  type FakeKubeApi,
  type KubeObject,
} from '@slipway/kube-client/testing';
import type { Readable } from 'node:stream';
import { InstanceNotFoundError } from '../runtime-driver';
import type { KubernetesRuntimeDriver } from './kubernetes-runtime.driver';
import { names, platform, ref, spec } from './testing/fixtures';
import { startDriver } from './testing/harness';

const ns = names.namespace;
const labels = { [LABELS.serviceId]: spec.service.id };

let api: FakeKubeApi;
let driver: KubernetesRuntimeDriver;

beforeEach(async () => {
  ({ api, driver } = await startDriver());
});

afterEach(() => api.close());

function pod(
  name: string,
  created: string,
  status: Record<string, unknown>,
  podLabels = labels,
): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: ns,
      creationTimestamp: created,
      labels: { ...podLabels, [LABELS.deploymentId]: 'dep-0002' },
    },
    status,
  };
}

const container = (
  state: Record<string, unknown>,
  extra: Record<string, unknown> = {},
): Record<string, unknown> => ({
  name: 'app',
  ready: false,
  restartCount: 0,
  image: 'x',
  imageID: 'x',
  state,
  ...extra,
});

const readyPod = pod('web-a', '2026-01-01T10:00:00Z', {
  phase: 'Running',
  startTime: '2026-01-01T10:00:01Z',
  conditions: [{ type: 'Ready', status: 'True' }],
  containerStatuses: [
    container({ running: { startedAt: '2026-01-01T10:00:02Z' } }, { ready: true, restartCount: 1 }),
  ],
});
const crashingPod = pod('web-b', '2026-01-01T11:00:00Z', {
  phase: 'Running',
  startTime: '2026-01-01T11:00:01Z',
  conditions: [{ type: 'Ready', status: 'False' }],
  containerStatuses: [
    container(
      {
        waiting: {
          reason: 'CrashLoopBackOff',
          message: 'back-off 5m0s restarting failed container',
        },
      },
      { restartCount: 7, lastState: { terminated: { exitCode: 2, reason: 'Error' } } },
    ),
  ],
});
const unschedulablePod = pod('web-c', '2026-01-01T12:00:00Z', {
  phase: 'Pending',
  conditions: [
    {
      type: 'PodScheduled',
      status: 'False',
      reason: 'Unschedulable',
      message: '0/3 nodes are available: 3 Insufficient cpu.',
    },
  ],
});

/** Another service's pod in the same project namespace. */
const otherServicePod = pod(
  'other-a',
  '2026-01-01T13:00:00Z',
  { phase: 'Running' },
  { [LABELS.serviceId]: 'svc-other' },
);

describe('KubernetesRuntimeDriver reads (stand-in API server)', () => {
  it("lists the service's pods as instances, newest first", async () => {
    [readyPod, crashingPod, unschedulablePod].forEach((p) => api.put(p));
    api.put(otherServicePod);

    await expect(driver.instances(ref)).resolves.toEqual([
      {
        name: 'web-c',
        deploymentId: 'dep-0002',
        state: 'starting',
        ready: false,
        restarts: 0,
        startedAt: null,
        message: 'not scheduled: Unschedulable: 0/3 nodes are available: 3 Insufficient cpu.',
      },
      {
        name: 'web-b',
        deploymentId: 'dep-0002',
        state: 'restarting',
        ready: false,
        restarts: 7,
        startedAt: new Date('2026-01-01T11:00:01Z'),
        message: 'CrashLoopBackOff: back-off 5m0s restarting failed container (exit code 2)',
      },
      {
        name: 'web-a',
        deploymentId: 'dep-0002',
        state: 'running',
        ready: true,
        restarts: 1,
        startedAt: new Date('2026-01-01T10:00:01Z'),
        message: null,
      },
    ]);
    const list = api.requests.find((r) => r.path === `/api/v1/namespaces/${ns}/pods`);
    expect(list?.query.get('labelSelector')).toBe(`${LABELS.serviceId}=${spec.service.id}`);
  });

  it('answers no instances and no endpoints when the project namespace does not exist', async () => {
    api.on((request) =>
      request.path.startsWith(`/api/v1/namespaces/${ns}/`)
        ? statusReply(404, 'NotFound', `namespaces "${ns}" not found`)
        : undefined,
    );
    await expect(driver.instances(ref)).resolves.toEqual([]);
    await expect(driver.endpoints(ref)).resolves.toEqual([]);
  });

  it('gives the cluster Service as the endpoint once any instance is ready', async () => {
    api.put(crashingPod);
    await expect(driver.endpoints(ref)).resolves.toEqual([]);
    api.put(readyPod);
    await expect(driver.endpoints(ref)).resolves.toEqual([
      { host: `${names.base}.${ns}.svc.cluster.local`, port: 8080 },
    ]);
  });

  it("streams an instance's log (last 1000 lines, then follows) until the reader goes away", async () => {
    api.put(readyPod);
    let closed = false;
    api.on((request) => {
      if (request.path !== `/api/v1/namespaces/${ns}/pods/web-a/log`) return undefined;
      return {
        stream: (response) => {
          response.writeHead(200, { 'content-type': 'text/plain' });
          response.write('listening on :8080\nGET /healthz 200\n');
          response.on('close', () => (closed = true)); // held open: the pod keeps logging
        },
      };
    });
    const reader = new AbortController();
    const stream = await driver.logs(ref, 'web-a', {
      tailLines: 1000,
      follow: true,
      signal: reader.signal,
    });

    await expect(firstChunk(stream)).resolves.toBe('listening on :8080\nGET /healthz 200\n');
    const request = api.requests.find((r) => r.path.endsWith('/pods/web-a/log'));
    expect(request?.query.get('follow')).toBe('true');
    expect(request?.query.get('tailLines')).toBe('1000');
    expect(request?.query.get('timestamps')).toBe('false');
    expect(request?.query.get('container')).toBe('app');

    const ended = new Promise((resolve) => stream.on('end', resolve));
    stream.resume();
    reader.abort();
    await ended;
    await waitFor(() => closed);
  });

  it('ends the log stream when the API server cuts the connection', async () => {
    api.put(readyPod);
    api.on((request) =>
      request.path.endsWith('/pods/web-a/log')
        ? {
            stream: (response) => {
              response.writeHead(200, { 'content-type': 'text/plain' });
              response.write('last words\n');
              setTimeout(() => response.socket?.destroy(), 20);
            },
          }
        : undefined,
    );
    const stream = await driver.logs(ref, 'web-a', {
      tailLines: 1000,
      follow: true,
      signal: new AbortController().signal,
    });
    const chunks: string[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk.toString('utf8')));
    await new Promise((resolve) => stream.on('end', resolve));
    expect(chunks.join('')).toBe('last words\n');
  });

  it("refuses logs of a pod that is not the service's, or does not exist", async () => {
    api.put(otherServicePod);
    const options = { tailLines: 1000, follow: true, signal: new AbortController().signal };
    await expect(driver.logs(ref, 'other-a', options)).rejects.toThrow(
      new InstanceNotFoundError('other-a'),
    );
    await expect(driver.logs(ref, 'gone', options)).rejects.toThrow(InstanceNotFoundError);
    expect(api.requests.filter((r) => r.path.endsWith('/log'))).toEqual([]);
  });

  it("leaves a service's pods to their workload, unless forced: then at once, its pods only", async () => {
    api.put(readyPod);
    api.put(otherServicePod);
    await driver.delete(ref);
    expect(api.calls((r) => r.method === 'DELETE' && r.path.includes('/pods/'))).toEqual([]);

    await driver.delete(ref, [], { force: true });
    const podDeletes = api.requests.filter(
      (r) => r.method === 'DELETE' && r.path.includes('/pods/'),
    );
    expect(podDeletes.map((r) => r.path)).toEqual([`/api/v1/namespaces/${ns}/pods/web-a`]);
    expect(podDeletes[0]?.query.get('gracePeriodSeconds')).toBe('0');
    expect(api.all('Pod').map((p) => p.metadata.name)).toEqual([otherServicePod.metadata.name]);
  });

  it('deletes every object of the service, Ingresses in the edge namespace included, and is idempotent', async () => {
    const own = (apiVersion: string, kind: string, name: string, namespace = ns): KubeObject => ({
      apiVersion,
      kind,
      metadata: { name, namespace, labels },
    });
    [
      own('v1', 'Secret', names.base),
      own('v1', 'ServiceAccount', names.base),
      own('apps/v1', 'Deployment', names.base),
      own('v1', 'Service', names.base),
      own('policy/v1', 'PodDisruptionBudget', names.base),
      own(
        'networking.k8s.io/v1',
        'Ingress',
        names.ingress('www.example.com'),
        platform.edge.namespace,
      ),
    ].forEach((object) => api.put(object));
    api.put({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'other', namespace: ns, labels: { [LABELS.serviceId]: 'svc-other' } },
    });
    api.put({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    // Something else removes the Deployment between the list and the delete.
    api.on((request) =>
      request.method === 'DELETE' && request.path.includes('/deployments/')
        ? statusReply(404, 'NotFound', 'gone')
        : undefined,
    );

    await driver.delete(ref);
    expect(api.calls((r) => r.method === 'DELETE').sort()).toEqual(
      [
        `DELETE /api/v1/namespaces/${ns}/secrets/${names.base}`,
        `DELETE /api/v1/namespaces/${ns}/serviceaccounts/${names.base}`,
        `DELETE /api/v1/namespaces/${ns}/services/${names.base}`,
        `DELETE /apis/apps/v1/namespaces/${ns}/deployments/${names.base}`,
        `DELETE /apis/networking.k8s.io/v1/namespaces/${platform.edge.namespace}/ingresses/${names.ingress('www.example.com')}`,
        `DELETE /apis/policy/v1/namespaces/${ns}/poddisruptionbudgets/${names.base}`,
      ].sort(),
    );
    expect(api.all('Secret').map((s) => s.metadata.name)).toEqual(['other']);
    expect(api.all('Namespace')).toHaveLength(1); // the project's other services live there
    await expect(driver.delete(ref)).resolves.toBeUndefined();
  });
});

function firstChunk(stream: Readable): Promise<string> {
  return new Promise((resolve, reject) => {
    stream.once('data', (chunk: Buffer) => {
      stream.pause();
      resolve(chunk.toString('utf8'));
    });
    stream.once('error', reject);
  });
}
