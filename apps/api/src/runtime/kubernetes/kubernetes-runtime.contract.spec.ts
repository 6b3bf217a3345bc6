/**
 * Rollouts of the `kubernetes` runtime against a stand-in API server (no cluster runs
 * here): what is sent where, and how readiness, failures, timeouts and errors come back.
 */
import { LABELS, Size, renderServiceObjects } from '@slipway/k8s-spec';
import type { FakeKubeApi } from '@slipway/kube-client/testing';
import { RolloutCancelledError, RolloutFailedError } from '../runtime-driver';
import type { KubernetesRuntimeDriver } from './kubernetes-runtime.driver';
import { runDeploymentController } from './testing/deployment-controller';
import { SECRET_VALUE, deploymentPath, names, platform, script, spec } from './testing/fixtures';
import { applies, rolloutOptions, startDriver } from './testing/harness';

let api: FakeKubeApi;
let driver: KubernetesRuntimeDriver;

beforeEach(async () => {
  ({ api, driver } = await startDriver());
});

afterEach(() => api.close());

describe('KubernetesRuntimeDriver.rollout (stand-in API server)', () => {
  it('server-side applies every rendered object, in render order, as field manager slipway', async () => {
    runDeploymentController(api, { ...script, readyAfterPolls: 1 });
    const result = await driver.rollout(spec, rolloutOptions());

    const rendered = renderServiceObjects(spec, platform);
    const patches = applies(api);
    expect(patches.map((r) => JSON.parse(r.body) as unknown)).toEqual(
      JSON.parse(JSON.stringify(rendered)),
    );
    for (const patch of patches) {
      expect(patch.contentType).toBe('application/apply-patch+yaml');
      expect(patch.query.toString()).toBe('fieldManager=slipway&force=true');
    }
    expect(patches[0]?.path).toBe(`/api/v1/namespaces/${names.namespace}`);
    expect(patches.map((r) => r.path)).toContain(deploymentPath);
    expect(patches.map((r) => r.path)).toContain(
      `/api/v1/namespaces/${names.namespace}/secrets/${names.base}`,
    );
    // A NetworkPolicy's `from` survives the trip (client-node's typed serializer would drop it).
    expect(patches.map((r) => r.body).join('\n')).toContain('"from":[{"namespaceSelector"');
    expect(result.endpoints).toEqual([
      { host: `${names.base}.${names.namespace}.svc.cluster.local`, port: 8080 },
    ]);
  });

  it('sends secret env values only inside the Secret object', async () => {
    runDeploymentController(api, { ...script, readyAfterPolls: 1 });
    await driver.rollout(spec, rolloutOptions());

    const encoded = Buffer.from(SECRET_VALUE).toString('base64');
    const carrying = api.requests.filter(
      (r) => r.body.includes(SECRET_VALUE) || r.body.includes(encoded),
    );
    expect(carrying.map((r) => `${r.method} ${r.path}`)).toEqual([
      `PATCH /api/v1/namespaces/${names.namespace}/secrets/${names.base}`,
    ]);
    expect(carrying[0]?.body).not.toContain(SECRET_VALUE); // base64 in `data`, as Kubernetes wants it
  });

  it('waits for the Deployment to report every instance ready, polling and reporting progress', async () => {
    const controller = runDeploymentController(api, { ...script, readyAfterPolls: 4 });
    const progress: string[] = [];
    await driver.rollout(spec, rolloutOptions({ onProgress: (line) => progress.push(line) }));

    expect(controller.polls()).toBe(4);
    expect(progress).toContain('0/1 instances ready (1 updated, 0 available, 2 total)');
    expect(progress.at(-1)).toBe('1/1 instances ready (1 updated, 1 available, 1 total)');
  });

  it('fails early when a new instance is crash-looping, quoting its exit, output and warnings', async () => {
    const controller = runDeploymentController(api, {
      ...script,
      podStatus: {
        phase: 'Running',
        conditions: [{ type: 'Ready', status: 'False' }],
        containerStatuses: [
          {
            name: 'app',
            ready: false,
            restartCount: 3,
            image: 'x',
            imageID: 'x',
            state: {
              waiting: {
                reason: 'CrashLoopBackOff',
                message: 'back-off 40s restarting failed container=app',
              },
            },
            lastState: {
              terminated: {
                exitCode: 1,
                reason: 'Error',
                message: 'Error: DATABASE_URL is not set\n',
              },
            },
          },
        ],
      },
    });
    api.put({
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: `${controller.podName}.1`, namespace: names.namespace },
      involvedObject: { kind: 'Pod', name: controller.podName },
      type: 'Warning',
      reason: 'BackOff',
      message: `Back-off restarting failed container app in pod ${controller.podName}`,
      count: 3,
    });

    const error = await driver.rollout(spec, rolloutOptions()).then(
      () => undefined,
      (rejection: unknown) => rejection,
    );
    expect(error).toBeInstanceOf(RolloutFailedError);
    const reason = (error as RolloutFailedError).reason;
    expect(reason).toContain(`instance ${controller.podName} cannot start`);
    expect(reason).toContain('CrashLoopBackOff');
    expect(reason).toContain('last exited with code 1 (Error)');
    expect(reason).toContain('Error: DATABASE_URL is not set');
    expect(reason).toContain(
      `BackOff: Back-off restarting failed container app in pod ${controller.podName} (x3)`,
    );
    const events = api.requests.find(
      (r) => r.path === `/api/v1/namespaces/${names.namespace}/events`,
    );
    expect(events?.query.get('fieldSelector')).toBe(`involvedObject.name=${controller.podName}`);
  });

  it.each([
    [
      'an image that cannot be pulled',
      { waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image "nope"' } },
      'ImagePullBackOff',
    ],
    [
      'a missing secret key',
      { waiting: { reason: 'CreateContainerConfigError', message: 'secret "x" not found' } },
      'CreateContainerConfigError: secret "x" not found',
    ],
    [
      'a container that exited non-zero',
      { terminated: { exitCode: 137, reason: 'OOMKilled' } },
      'exited with code 137 (OOMKilled)',
    ],
  ])('fails early on %s', async (_case, state, expected) => {
    runDeploymentController(api, {
      ...script,
      podStatus: {
        phase: 'Pending',
        containerStatuses: [
          { name: 'app', ready: false, restartCount: 0, image: 'x', imageID: '', state },
        ],
      },
    });
    await expect(driver.rollout(spec, rolloutOptions())).rejects.toThrow(expected);
  });

  it('ignores failing pods of the previous revision', async () => {
    api.put({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: `${names.base}-old-1`,
        namespace: names.namespace,
        labels: { [LABELS.serviceId]: spec.service.id, 'pod-template-hash': 'old' },
      },
      status: {
        phase: 'Running',
        containerStatuses: [
          {
            name: 'app',
            ready: false,
            restartCount: 9,
            image: 'x',
            imageID: 'x',
            state: { waiting: { reason: 'CrashLoopBackOff' } },
          },
        ],
      },
    });
    runDeploymentController(api, { ...script, readyAfterPolls: 3 });
    await expect(driver.rollout(spec, rolloutOptions())).resolves.toEqual({
      endpoints: [expect.objectContaining({ port: 8080 })],
    });
  });

  it('fails when the Deployment reports ProgressDeadlineExceeded', async () => {
    runDeploymentController(api, {
      ...script,
      conditions: [
        {
          type: 'Progressing',
          status: 'False',
          reason: 'ProgressDeadlineExceeded',
          message: `ReplicaSet "${names.base}-x" has timed out progressing.`,
        },
      ],
    });
    await expect(driver.rollout(spec, rolloutOptions())).rejects.toThrow(
      /the rollout stalled: ProgressDeadlineExceeded: .*has timed out progressing\.\ninstance .*: container "app" ContainerCreating/,
    );
  });

  it('fails after readinessTimeoutMs with the last observed counts', async () => {
    runDeploymentController(api, script);
    const started = Date.now();
    const failure = driver.rollout(spec, rolloutOptions({ readinessTimeoutMs: 300 }));
    await expect(failure).rejects.toThrow(RolloutFailedError);
    await expect(failure).rejects.toThrow(
      /not ready within 0s: 0\/1 instances ready \(1 updated, 0 available, 2 total\)\ninstance .*: container "app" ContainerCreating/,
    );
    // It waited the 300 ms, and gave up then: far sooner than the harness's default, with
    // room to spare for a loaded machine.
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('stops waiting as soon as the signal aborts', async () => {
    const controller = new AbortController();
    runDeploymentController(api, script);
    api.on((request) => {
      if (request.method === 'GET' && request.path === deploymentPath) controller.abort();
      return undefined;
    });
    const failure = driver.rollout(
      spec,
      rolloutOptions({ signal: controller.signal, readinessTimeoutMs: 60_000 }),
    );
    await expect(failure).rejects.toThrow(RolloutCancelledError);
    const reads = api.requests.filter(
      (r) => r.path === deploymentPath && r.method === 'GET',
    ).length;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(
      api.requests.filter((r) => r.path === deploymentPath && r.method === 'GET'),
    ).toHaveLength(reads);
  });
  it("waits for a stateful service's StatefulSet until its update revision is current", async () => {
    const stateful = {
      ...spec,
      volumes: [{ name: 'data', mountPath: '/data', size: Size.gibibytes(1) }],
    };
    const path = `/apis/apps/v1/namespaces/${names.namespace}/statefulsets/${names.base}`;
    let reads = 0;
    api.on((request) => {
      const set = api.get('apps/v1', 'StatefulSet', names.namespace, names.base);
      if (request.method !== 'GET' || request.path !== path || set === undefined) return undefined;
      reads += 1;
      const done = reads >= 3;
      api.put({
        ...set,
        status: {
          observedGeneration: set.metadata.generation,
          replicas: 1,
          updatedReplicas: 1,
          readyReplicas: done ? 1 : 0,
          availableReplicas: done ? 1 : 0,
          currentRevision: done ? `${names.base}-new` : `${names.base}-old`,
          updateRevision: `${names.base}-new`,
        },
      });
      return undefined;
    });
    await driver.rollout(stateful, rolloutOptions());
    expect(reads).toBe(3);
    expect(applies(api).map((r) => r.path)).toContain(path);
  });

  it("prunes objects the render no longer contains, and only this service's", async () => {
    const hpa = (serviceId: string, name: string): Parameters<FakeKubeApi['put']>[0] => ({
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name, namespace: names.namespace, labels: { [LABELS.serviceId]: serviceId } },
    });
    api.put(hpa(spec.service.id, names.base));
    api.put(hpa('svc-other', 'other-service'));
    api.put({
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: {
        name: names.base,
        namespace: names.namespace,
        labels: { [LABELS.serviceId]: spec.service.id },
      },
    });
    runDeploymentController(api, { ...script, readyAfterPolls: 2 });
    await driver.rollout(spec, rolloutOptions());

    const deletes = api.calls((r) => r.method === 'DELETE');
    expect(deletes).toEqual([
      `DELETE /apis/autoscaling/v2/namespaces/${names.namespace}/horizontalpodautoscalers/${names.base}`,
      `DELETE /apis/apps/v1/namespaces/${names.namespace}/statefulsets/${names.base}`,
    ]);
    expect(
      api.get('autoscaling/v2', 'HorizontalPodAutoscaler', names.namespace, 'other-service'),
    ).toBeDefined();
    // The replaced workload goes only after its successor is ready.
    const lastRead = api.requests.findLastIndex(
      (r) => r.method === 'GET' && r.path === deploymentPath,
    );
    const workloadDelete = api.requests.findIndex(
      (r) => r.method === 'DELETE' && r.path.includes('/statefulsets/'),
    );
    expect(workloadDelete).toBeGreaterThan(lastRead);
  });
});
