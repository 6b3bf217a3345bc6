/**
 * Scale, rolling restart and rollback of the `kubernetes` runtime against a stand-in API
 * server whose simulated controllers run the pods (no cluster runs here): which requests
 * are sent, that only the field asked for changes, and when each call returns.
 */
import { ANNOTATIONS, Cpu, LABELS, Size, restartPatch, type ServiceSpec } from '@slipway/k8s-spec';
import { objectPath, type FakeKubeApi, type KubeObject } from '@slipway/kube-client/testing';
import { RolloutCancelledError, RolloutFailedError } from '../runtime-driver';
import type { KubernetesRuntimeDriver } from './kubernetes-runtime.driver';
import { deploymentPath, names, spec } from './testing/fixtures';
import { rolloutOptions, startDriver } from './testing/harness';
import { simulateWorkload, type WorkloadSimulation } from './testing/workload-simulator';

let api: FakeKubeApi;
let driver: KubernetesRuntimeDriver;

beforeEach(async () => {
  ({ api, driver } = await startDriver());
});

afterEach(() => api.close());

const endpoint = { host: `${names.base}.${names.namespace}.svc.cluster.local`, port: 8080 };
const statefulSetPath = objectPath('apps/v1', 'StatefulSet', names.namespace, names.base);
const stateful: ServiceSpec = {
  ...spec,
  volumes: [{ name: 'data', mountPath: '/data', size: Size.gibibytes(1) }],
};

/** Deploys `deployed` with simulated controllers; requests before the returned mark are setup. */
async function deploy(
  deployed: ServiceSpec,
  readyAfterTicks = 1,
): Promise<{ sim: WorkloadSimulation; mark: number }> {
  const sim = simulateWorkload(api, {
    kind: deployed.volumes === undefined ? 'Deployment' : 'StatefulSet',
    namespace: names.namespace,
    name: names.base,
    serviceId: spec.service.id,
    readyAfterTicks,
  });
  await driver.rollout(deployed, rolloutOptions());
  return { sim, mark: api.requests.length };
}

/** What was written to the API server after `mark` (reads left out). */
function writesSince(mark: number): string[] {
  return api.requests
    .slice(mark)
    .filter((r) => r.method !== 'GET')
    .map((r) => `${r.method} ${r.path} ${r.contentType ?? ''} ${r.query.toString()} ${r.body}`);
}

function stored(kind: 'Deployment' | 'StatefulSet'): KubeObject {
  const object = api.get('apps/v1', kind, names.namespace, names.base);
  if (object === undefined) throw new Error(`no ${kind} stored`);
  return object;
}

function templateOf(object: KubeObject): unknown {
  return (object.spec as { template: unknown }).template;
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (error: unknown) => error,
  );
}

describe('KubernetesRuntimeDriver.scale (stand-in API server)', () => {
  it('merge-patches only the replica count: nothing re-applied, template and pods untouched', async () => {
    const { sim, mark } = await deploy({ ...spec, replicas: 2 });
    const template = templateOf(stored('Deployment'));
    const before = sim.serving();
    expect(before).toHaveLength(2);

    const result = await driver.scale({ ...spec, replicas: 3 }, rolloutOptions());

    expect(writesSince(mark)).toEqual([
      `PATCH ${deploymentPath} application/merge-patch+json fieldManager=slipway-scale {"spec":{"replicas":3}}`,
    ]);
    expect(result).toEqual({ endpoints: [endpoint] });
    const deployment = stored('Deployment');
    expect((deployment.spec as { replicas: number }).replicas).toBe(3);
    expect(templateOf(deployment)).toEqual(template);
    const after = sim.serving();
    expect(after).toHaveLength(3);
    expect(after).toEqual(expect.arrayContaining(before)); // same pods, same uids
  });

  it('keeps the count an autoscaler set through a redeploy: the apply leaves replicas alone', async () => {
    const autoscaled: ServiceSpec = {
      ...spec,
      replicas: undefined,
      autoscaling: { minReplicas: 1, maxReplicas: 5, targetCpuUtilization: 70 },
    };
    const { sim } = await deploy(autoscaled);
    // The HPA writes the count as its own field manager, as on a cluster.
    const scaled = await fetch(`${api.url}${deploymentPath}?fieldManager=kube-controller-manager`, {
      method: 'PATCH',
      headers: { 'Content-Type': 'application/merge-patch+json' },
      body: JSON.stringify({ spec: { replicas: 4 } }),
    });
    expect(scaled.status).toBe(200);
    await driver.rollout({ ...autoscaled, deploymentId: 'dep-next' }, rolloutOptions());
    expect((stored('Deployment').spec as { replicas?: number }).replicas).toBe(4);
    expect(sim.serving()).toHaveLength(4);
  });

  it('scales down by removing instances, keeping the others running', async () => {
    const { sim } = await deploy({ ...spec, replicas: 3 });
    const before = sim.serving();

    await driver.scale({ ...spec, replicas: 1 }, rolloutOptions());

    const after = sim.serving();
    expect(after).toHaveLength(1);
    expect(before).toContain(after[0]);
  });

  it('returns only once the added instances are ready', async () => {
    const { sim } = await deploy({ ...spec, replicas: 1 }, 3);
    const progress: string[] = [];

    await driver.scale(
      { ...spec, replicas: 3 },
      rolloutOptions({ onProgress: (line) => progress.push(line) }),
    );

    expect(sim.serving()).toHaveLength(3);
    expect(progress).toContain('1/3 instances ready (3 updated, 1 available, 3 total)');
    expect(progress.at(-1)).toBe('3/3 instances ready (3 updated, 3 available, 3 total)');
  });

  it('fails after the readiness timeout when an added instance never becomes ready', async () => {
    const { sim } = await deploy({ ...spec, replicas: 1 });
    const before = sim.serving();
    sim.holdReadiness(true);

    const error = await rejection(
      driver.scale({ ...spec, replicas: 2 }, rolloutOptions({ readinessTimeoutMs: 300 })),
    );

    expect(error).toBeInstanceOf(RolloutFailedError);
    expect((error as RolloutFailedError).reason).toMatch(
      /^not ready within 0s: 1\/2 instances ready \(2 updated, 1 available, 2 total\)\ninstance web-\S+: container "app" ContainerCreating/,
    );
    expect(sim.serving()).toEqual(before); // the running instance keeps serving
  });

  it('pauses at 0: every instance stops, the Deployment stays, no endpoints are returned', async () => {
    const { sim, mark } = await deploy({ ...spec, replicas: 2 });

    const result = await driver.scale({ ...spec, replicas: 0 }, rolloutOptions());

    expect(result).toEqual({ endpoints: [] });
    expect(sim.pods()).toEqual([]);
    expect((stored('Deployment').spec as { replicas: number }).replicas).toBe(0);
    expect(writesSince(mark)).toEqual([
      `PATCH ${deploymentPath} application/merge-patch+json fieldManager=slipway-scale {"spec":{"replicas":0}}`,
    ]);
  });

  it('fails a pause whose instances do not stop within the timeout', async () => {
    await deploy({ ...spec, replicas: 1 });
    const podsPath = objectPath('v1', 'Pod', names.namespace);
    const lingering = { metadata: { name: `${names.base}-stuck`, namespace: names.namespace } };
    api.on((r) =>
      r.method === 'GET' && r.path === podsPath
        ? { status: 200, body: { apiVersion: 'v1', kind: 'PodList', items: [lingering] } }
        : undefined,
    );

    await expect(
      driver.scale({ ...spec, replicas: 0 }, rolloutOptions({ readinessTimeoutMs: 300 })),
    ).rejects.toThrow(new RolloutFailedError('not stopped within 0s: 1 instance still stopping'));
  });

  it('pauses a StatefulSet without deleting it or its volume claim template, and resumes it', async () => {
    const { sim, mark } = await deploy({ ...stateful, replicas: 2 });
    const set = stored('StatefulSet').spec as Record<string, unknown>;

    await expect(driver.scale({ ...stateful, replicas: 0 }, rolloutOptions())).resolves.toEqual({
      endpoints: [],
    });

    expect(sim.pods()).toEqual([]);
    const paused = stored('StatefulSet').spec as Record<string, unknown>;
    expect(paused.replicas).toBe(0);
    expect(paused.volumeClaimTemplates).toEqual(set.volumeClaimTemplates);
    expect(paused.volumeClaimTemplates).toEqual([
      expect.objectContaining({ metadata: expect.objectContaining({ name: 'data' }) }),
    ]);
    expect(paused.persistentVolumeClaimRetentionPolicy).toEqual({
      whenDeleted: 'Delete',
      whenScaled: 'Retain',
    });
    expect(writesSince(mark)).toEqual([
      `PATCH ${statefulSetPath} application/merge-patch+json fieldManager=slipway-scale {"spec":{"replicas":0}}`,
    ]);

    await expect(driver.scale({ ...stateful, replicas: 1 }, rolloutOptions())).resolves.toEqual({
      endpoints: [endpoint],
    });
    expect(sim.serving().map((id) => id.split(' ')[0])).toEqual([`${names.base}-0`]);
  });

  it('leaves the next deploy free to set its own replica count (a forced apply)', async () => {
    const { sim, mark } = await deploy({ ...spec, replicas: 2 });
    await driver.scale({ ...spec, replicas: 0 }, rolloutOptions());

    await driver.rollout({ ...spec, replicas: 2 }, rolloutOptions());

    const apply = api.requests
      .slice(mark)
      .find((r) => r.path === deploymentPath && r.contentType === 'application/apply-patch+yaml');
    expect(apply?.query.toString()).toBe('fieldManager=slipway&force=true');
    expect((stored('Deployment').spec as { replicas: number }).replicas).toBe(2);
    expect(sim.serving()).toHaveLength(2);
  });

  it('stops waiting as soon as the signal aborts', async () => {
    const { sim, mark } = await deploy({ ...spec, replicas: 1 });
    sim.holdReadiness(true);
    const controller = new AbortController();
    api.on((request) => {
      if (request.method === 'GET' && request.path === deploymentPath) controller.abort();
      return undefined;
    });

    await expect(
      driver.scale(
        { ...spec, replicas: 2 },
        rolloutOptions({ signal: controller.signal, readinessTimeoutMs: 60_000 }),
      ),
    ).rejects.toThrow(RolloutCancelledError);

    // No further poll: the workload is not read again.
    const reads = (): number =>
      api.calls((r) => r.method === 'GET' && r.path === deploymentPath).length;
    const readsWhenCancelled = reads();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(reads()).toBe(readsWhenCancelled);
    expect(writesSince(mark)).toHaveLength(1); // the patch; nothing undone or deleted
  });

  it('sends nothing when the signal has already aborted', async () => {
    const { mark } = await deploy({ ...spec, replicas: 1 });
    const controller = new AbortController();
    controller.abort();

    await expect(
      driver.scale({ ...spec, replicas: 2 }, rolloutOptions({ signal: controller.signal })),
    ).rejects.toThrow(RolloutCancelledError);
    expect(api.requests).toHaveLength(mark);
  });
});

describe('KubernetesRuntimeDriver.restart (stand-in API server)', () => {
  it('annotates the pod template with restartedAt and waits until every instance is replaced', async () => {
    const { sim, mark } = await deploy({ ...spec, replicas: 2 });
    const before = sim.serving();
    const template = templateOf(stored('Deployment')) as { metadata: Record<string, unknown> };
    const startedAt = Date.now();

    const result = await driver.restart({ ...spec, replicas: 2 }, rolloutOptions());

    const writes = api.requests.slice(mark).filter((r) => r.method !== 'GET');
    expect(writes.map((r) => `${r.method} ${r.path} ${r.contentType ?? ''}`)).toEqual([
      `PATCH ${deploymentPath} application/merge-patch+json`,
    ]);
    expect(writes[0]?.query.toString()).toBe('fieldManager=slipway-restart');
    const body = writes[0]?.body ?? '';
    const restartedAt = /"kubectl\.kubernetes\.io\/restartedAt":"([^"]*)"/.exec(body)?.[1] ?? '';
    expect(JSON.parse(body)).toEqual(restartPatch(restartedAt)); // nothing but the annotation
    expect(new Date(restartedAt).toISOString()).toBe(restartedAt);
    expect(Date.parse(restartedAt)).toBeGreaterThanOrEqual(startedAt);
    expect(Date.parse(restartedAt)).toBeLessThanOrEqual(Date.now());

    // Only the annotation changed on the template.
    const restarted = templateOf(stored('Deployment'));
    expect(restarted).toEqual({
      ...template,
      metadata: {
        ...template.metadata,
        annotations: {
          ...(template.metadata.annotations as Record<string, string>),
          [ANNOTATIONS.restartedAt]: restartedAt,
        },
      },
    });
    expect(result).toEqual({ endpoints: [endpoint] });
    const after = sim.serving();
    expect(after).toHaveLength(2);
    expect(after.filter((id) => before.includes(id))).toEqual([]);
    expect(sim.pods()).toHaveLength(2); // the old ones are gone
  });

  it('restarts a StatefulSet through the same annotation', async () => {
    const { sim, mark } = await deploy({ ...stateful, replicas: 2 });
    const before = sim.serving();

    await driver.restart({ ...stateful, replicas: 2 }, rolloutOptions());

    expect(writesSince(mark).map((w) => w.split(' ').slice(0, 3).join(' '))).toEqual([
      `PATCH ${statefulSetPath} application/merge-patch+json`,
    ]);
    const after = sim.serving();
    expect(after.map((id) => id.split(' ')[0])).toEqual([`${names.base}-0`, `${names.base}-1`]);
    expect(after.filter((id) => before.includes(id))).toEqual([]); // same names, new pods
  });

  it('fails when a replacement never becomes ready, the old instances still serving', async () => {
    const { sim } = await deploy({ ...spec, replicas: 2 });
    const before = sim.serving();
    sim.holdReadiness(true);

    await expect(
      driver.restart({ ...spec, replicas: 2 }, rolloutOptions({ readinessTimeoutMs: 300 })),
    ).rejects.toThrow(
      /^not ready within 0s: 2\/2 instances ready \(1 updated, 2 available, 3 total\)/,
    );
    expect(sim.serving()).toEqual(before);
  });
});

describe('scale and restart of a service that has no workload', () => {
  it.each([
    ['scale', (s: ServiceSpec) => driver.scale({ ...s, replicas: 2 }, rolloutOptions())],
    ['restart', (s: ServiceSpec) => driver.restart(s, rolloutOptions())],
  ])('%s fails with a reason naming the missing workload', async (action, operate) => {
    const error = await rejection(operate(spec));

    expect(error).toBeInstanceOf(RolloutFailedError);
    expect((error as RolloutFailedError).reason).toBe(
      `cannot ${action} ${spec.service.name}: Deployment ${names.namespace}/${names.base} does not exist ` +
        '(the service has no successful deployment on this cluster)',
    );
    expect(api.calls((r) => r.method !== 'GET')).toEqual([`PATCH ${deploymentPath}`]);
  });
});

describe('KubernetesRuntimeDriver.rollout of an earlier deployment (rollback)', () => {
  it('applies the earlier image pinned by digest with the earlier env and resources', async () => {
    const { sim, mark } = await deploy({ ...spec, replicas: 2 });
    const digest = `sha256:${'c3'.repeat(32)}`;
    const earlier: ServiceSpec = {
      ...spec,
      replicas: 2,
      deploymentId: 'dep-0001',
      image: 'registry.slipway.local:5000/acme/default/web:dep-0001',
      imageDigest: digest,
      env: [
        { name: 'LOG_LEVEL', value: 'debug' },
        { name: 'FEATURE_SEARCH', value: 'off' },
      ],
      resources: {
        requests: { cpu: Cpu.millis(250), memory: Size.mebibytes(256) },
        limits: { cpu: Cpu.millis(500), memory: Size.mebibytes(512) },
      },
    };

    await expect(driver.rollout(earlier, rolloutOptions())).resolves.toEqual({
      endpoints: [endpoint],
    });

    const apply = api.requests
      .slice(mark)
      .find((r) => r.method === 'PATCH' && r.path === deploymentPath);
    expect(apply?.contentType).toBe('application/apply-patch+yaml');
    const deployment = JSON.parse(apply?.body ?? '') as {
      metadata: { annotations: Record<string, string> };
      spec: { template: { spec: { containers: Container[] } } };
    };
    const [container] = deployment.spec.template.spec.containers;
    expect(container?.image).toBe(`registry.slipway.local:5000/acme/default/web@${digest}`);
    expect(container?.resources).toEqual({
      requests: { cpu: '250m', memory: '256Mi' },
      limits: { cpu: '500m', memory: '512Mi' },
    });
    const env = container?.env ?? [];
    expect(env).toEqual(
      expect.arrayContaining([
        { name: 'LOG_LEVEL', value: 'debug' },
        { name: 'FEATURE_SEARCH', value: 'off' },
      ]),
    );
    expect(env).not.toContainEqual({ name: 'LOG_LEVEL', value: 'info' });
    expect(env.map((entry) => entry.name)).not.toContain('OPENAI_API_KEY');
    expect(deployment.metadata.annotations).toEqual(
      expect.objectContaining({ [ANNOTATIONS.deploymentId]: 'dep-0001' }),
    );
    // The earlier revision replaced every instance before the rollout returned.
    const pods = sim.pods();
    expect(pods).toHaveLength(2);
    for (const pod of pods) {
      expect(pod.metadata.labels).toEqual(
        expect.objectContaining({ [LABELS.deploymentId]: 'dep-0001' }),
      );
    }
  });
});

interface Container {
  readonly image: string;
  readonly env?: readonly { readonly name: string; readonly value?: string }[];
  readonly resources: unknown;
}
