/**
 * The `kubernetes` runtime against the cluster under test: the stand-in API server here
 * (its controllers and kubelet simulated), or a real cluster when SLIPWAY_TEST_KUBECONFIG
 * names a kubeconfig file. Only what both show the same way is asserted, through the
 * driver's public methods (and plain API reads of what a delete leaves). Specs that play a
 * controller or inspect the requests sent stay stand-in only (the other contract specs).
 *
 * Against a real cluster (kind, or any cluster where you may create namespaces), from apps/api:
 *
 *   SLIPWAY_TEST_KUBECONFIG=~/.kube/config npx jest src/runtime/kubernetes/kubernetes-cluster.contract.spec.ts
 *
 * The services run SLIPWAY_TEST_KUBE_IMAGE (on a cluster, default busybox:1.36): it needs
 * busybox's sh and httpd, and runs as UID 1000 on a read-only root, serving /tmp on 8080.
 * Every test makes a service of its own with fresh names and deletes it after; the run's
 * project namespace is deleted at the end, so runs can repeat on the same cluster.
 */
import { randomBytes } from 'node:crypto';
import { text } from 'node:stream/consumers';
import {
  Cpu,
  SERVICE_OBJECT_KINDS,
  Size,
  serviceLabelSelector,
  serviceNames,
  type PlatformOptions,
  type ServiceSpec,
} from '@slipway/k8s-spec';
import { createKubeApis, type KubeApis } from '@slipway/kube-client';
import { endClusterTest, eventually } from '@slipway/kube-client/testing';
import {
  InstanceNotFoundError,
  type Endpoint,
  type Instance,
  type RolloutOptions,
  type ServiceRef,
} from '../runtime-driver';
import { KubernetesRuntimeDriver } from './kubernetes-runtime.driver';
import {
  clusterKind,
  startClusterUnderTest,
  type ClusterUnderTest,
} from './testing/cluster-under-test';
import { platform, spec } from './testing/fixtures';
import { rolloutOptions } from './testing/harness';

const target = clusterKind();
const onCluster = target === 'cluster';
/** A cluster pulls images and starts containers: minutes, where the stand-in takes moments. */
const WAIT_MS = onCluster ? 180_000 : 10_000;
const TEST_TIMEOUT_MS = onCluster ? 900_000 : 30_000;

const run = randomBytes(3).toString('hex');
/** What each container prints when it starts (the stand-in's kubelet serves the same). */
const MARKER = `slipway contract ${run}: serving /tmp on 8080`;
/** A short drain, so replaced instances of a cluster are gone in seconds. */
const testPlatform: PlatformOptions = { ...platform, drainSeconds: 2 };
/** One project per run: its namespace is this run's alone. */
const project = { id: `prj-ct-${run}`, name: `contract-${run}` };
const namespace = serviceNames({ ...spec, project }, testPlatform).namespace;

let cluster: ClusterUnderTest | undefined;
let driver: KubernetesRuntimeDriver;
let apis: KubeApis;
let image: string;
let sequence = 0;
/** Services the running test made, deleted after it whatever happened. */
const made: ServiceRef[] = [];

beforeAll(async () => {
  cluster = await startClusterUnderTest({ containerOutput: [MARKER] });
  driver = new KubernetesRuntimeDriver(cluster.kubeConfig, {
    platform: testPlatform,
    pollIntervalMs: onCluster ? 1000 : 20,
    requestTimeoutMs: onCluster ? 30_000 : 10_000,
  });
  apis = createKubeApis(cluster.kubeConfig, { caller: 'the test', requestTimeoutMs: 30_000 });
  image = process.env.SLIPWAY_TEST_KUBE_IMAGE ?? (onCluster ? 'busybox:1.36' : spec.image);
}, TEST_TIMEOUT_MS);

afterEach(async () => {
  for (const ref of made.splice(0)) await driver.delete(ref, [], { force: true });
}, TEST_TIMEOUT_MS);

afterAll(() => endClusterTest(cluster, apis, namespace), TEST_TIMEOUT_MS);

/** A service of this test's own: busybox httpd serving /tmp (with a health file) on 8080. */
function freshService(overrides: Partial<ServiceSpec> = {}): ServiceSpec {
  sequence += 1;
  const suffix = `${run}-${sequence}`;
  const service: ServiceSpec = {
    ...spec,
    project,
    service: { id: `svc-ct-${suffix}`, name: `web-${suffix}` },
    deploymentId: `dep-ct-${suffix}`,
    image,
    command: [
      'sh',
      '-c',
      `echo ok > /tmp/healthz && echo '${MARKER}' && exec httpd -f -p 8080 -h /tmp`,
    ],
    // Small enough for a kind node to surge a restart of two instances.
    resources: {
      requests: { cpu: Cpu.millis(10), memory: Size.mebibytes(16) },
      limits: { cpu: Cpu.millis(200), memory: Size.mebibytes(64) },
    },
    // As PID 1, httpd may not stop on SIGTERM: the kubelet kills it a second after the drain.
    stopGracePeriodSeconds: 1,
    ...overrides,
  };
  made.push(refOf(service));
  return service;
}

function refOf(service: ServiceSpec): ServiceRef {
  return { org: service.org, project: service.project, service: service.service };
}

function endpointOf(service: ServiceSpec): Endpoint {
  const names = serviceNames(service, testPlatform);
  return { host: `${names.base}.${names.namespace}.svc.cluster.local`, port: 8080 };
}

function options(): RolloutOptions {
  return rolloutOptions({ readinessTimeoutMs: onCluster ? WAIT_MS : 20_000 });
}

function logOptions(): { tailLines: number; follow: boolean; signal: AbortSignal } {
  return { tailLines: 100, follow: false, signal: new AbortController().signal };
}

/** Ready instances of the deployment `service` describes. */
function readyOf(instances: readonly Instance[], service: ServiceSpec): Instance[] {
  return instances.filter((i) => i.ready && i.deploymentId === service.deploymentId);
}

/** Objects of the kinds a service owns that still carry its id label, as `Kind/name`. */
async function objectsLeft(service: ServiceSpec): Promise<string[]> {
  const left: string[] = [];
  for (const { apiVersion, kind } of SERVICE_OBJECT_KINDS) {
    const inNamespace = kind === 'Ingress' ? testPlatform.edge.namespace : namespace;
    const list = await apis.objects.list(
      apiVersion,
      kind,
      inNamespace,
      undefined,
      undefined,
      undefined,
      undefined,
      serviceLabelSelector(service.service.id),
    );
    left.push(...list.items.map((item) => `${kind}/${item.metadata?.name ?? ''}`));
  }
  return left;
}

describe(`KubernetesRuntimeDriver against the ${target}`, () => {
  it(
    'rolls out an image service: one running, ready instance, the cluster Service its endpoint',
    async () => {
      const service = freshService();
      const ref = refOf(service);

      await expect(driver.rollout(service, options())).resolves.toEqual({
        endpoints: [endpointOf(service)],
      });

      expect(await driver.instances(ref)).toEqual([
        {
          name: expect.stringContaining(serviceNames(service, testPlatform).base) as string,
          deploymentId: service.deploymentId,
          state: 'running',
          ready: true,
          restarts: 0,
          startedAt: expect.any(Date) as Date,
          message: null,
        },
      ]);
      await expect(driver.endpoints(ref)).resolves.toEqual([endpointOf(service)]);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'scales to 2 instances and back to 1, keeping instances it already had',
    async () => {
      const service = freshService();
      const ref = refOf(service);
      await driver.rollout(service, options());
      const [first] = await driver.instances(ref);

      await expect(driver.scale({ ...service, replicas: 2 }, options())).resolves.toEqual({
        endpoints: [endpointOf(service)],
      });
      // Resolved once the added instance is ready: both serve now.
      const two = readyOf(await driver.instances(ref), service).map((i) => i.name);
      expect(two).toHaveLength(2);
      expect(two).toContain(first?.name);

      await expect(driver.scale({ ...service, replicas: 1 }, options())).resolves.toEqual({
        endpoints: [endpointOf(service)],
      });
      // The removed instance drains and stops; one of the two is left serving.
      const one = await eventually(
        () => driver.instances(ref),
        (instances) => instances.length === 1,
        WAIT_MS,
      );
      expect(readyOf(one, service)).toHaveLength(1);
      expect(two).toContain(one[0]?.name);
      await expect(driver.endpoints(ref)).resolves.toEqual([endpointOf(service)]);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'restarts: every instance replaced by a ready one before it resolves, the old ones then gone',
    async () => {
      const service = freshService({ replicas: 2 });
      const ref = refOf(service);
      await driver.rollout(service, options());
      const before = (await driver.instances(ref)).map((i) => i.name);
      expect(before).toHaveLength(2);

      await expect(driver.restart(service, options())).resolves.toEqual({
        endpoints: [endpointOf(service)],
      });

      const replacements = readyOf(await driver.instances(ref), service).filter(
        (i) => !before.includes(i.name),
      );
      expect(replacements).toHaveLength(2);
      const after = await eventually(
        () => driver.instances(ref),
        (instances) => instances.every((i) => !before.includes(i.name)),
        WAIT_MS,
      );
      expect(after.map((i) => i.name).sort()).toEqual(replacements.map((i) => i.name).sort());
      expect(readyOf(after, service)).toHaveLength(2);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    "reads an instance's log and the service's logs: what the container printed",
    async () => {
      const service = freshService();
      const ref = refOf(service);
      await driver.rollout(service, options());
      const [instance] = await driver.instances(ref);
      const name = instance?.name ?? '';

      const log = await text(await driver.logs(ref, name, logOptions()));
      expect(log.split('\n')).toContain(MARKER);

      const lines = await driver.serviceLogs(ref, {
        limit: 100,
        signal: new AbortController().signal,
      });
      expect(lines).toContainEqual({
        instance: name,
        timestamp: expect.any(Date) as Date,
        message: MARKER,
      });
      await expect(driver.logs(ref, `${name}-gone`, logOptions())).rejects.toThrow(
        InstanceNotFoundError,
      );
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'deletes the service: its objects and instances gone, a second delete harmless',
    async () => {
      const service = freshService();
      const ref = refOf(service);
      await driver.rollout(service, options());
      expect(await objectsLeft(service)).not.toEqual([]);

      await driver.delete(ref);

      expect(await objectsLeft(service)).toEqual([]);
      // The instances stop after their drain, as their workload is gone.
      await eventually(
        () => driver.instances(ref),
        (instances) => instances.length === 0,
        WAIT_MS,
      );
      await expect(driver.endpoints(ref)).resolves.toEqual([]);
      await expect(driver.delete(ref)).resolves.toBeUndefined();
    },
    TEST_TIMEOUT_MS,
  );
});
