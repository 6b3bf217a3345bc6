import type { IContainer } from 'kubernetes-models/v1/Container';
import { resolveImage } from './pod';
import { Cpu, Size } from './quantities';
import { renderDeployment, renderStatefulSet, renderWorkload, restartPatch } from './workload';
import { platform as options } from './test-support/fixtures';
import { expectValid, setup, type Setup } from './test-support/setup';
import type { ServiceSpec } from './service-spec';

function deploymentOf(overrides: Partial<ServiceSpec> = {}, s: Setup = setup(overrides)) {
  return expectValid(renderDeployment(s.spec, s.names, s.platform));
}

function containerOf(overrides: Partial<ServiceSpec> = {}): IContainer {
  const container = deploymentOf(overrides).spec?.template.spec?.containers[0];
  if (container === undefined) throw new Error('no container rendered');
  return container;
}

describe('renderDeployment: the container contract', () => {
  const deployment = deploymentOf();
  const pod = deployment.spec?.template.spec;
  const container = containerOf();

  it('runs as UID/GID 1000, non-root, read-only, no escalation, no capabilities', () => {
    expect(container.securityContext).toEqual({
      runAsNonRoot: true,
      runAsUser: 1000,
      runAsGroup: 1000,
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      privileged: false,
      capabilities: { drop: ['ALL'] },
    });
    expect(pod?.securityContext).toMatchObject({
      runAsNonRoot: true,
      runAsUser: 1000,
      seccompProfile: { type: 'RuntimeDefault' },
    });
  });

  it('mounts /tmp as a 512Mi memory-backed emptyDir, the only writable path', () => {
    expect(pod?.volumes).toEqual([
      { name: 'tmp', emptyDir: { medium: 'Memory', sizeLimit: '512Mi' } },
    ]);
    expect(container.volumeMounts).toEqual([{ name: 'tmp', mountPath: '/tmp' }]);
  });

  it('listens on 8080 and injects the platform env, credentials only by reference', () => {
    expect(container.ports).toEqual([{ name: 'http', containerPort: 8080, protocol: 'TCP' }]);
    const env = new Map(container.env?.map((entry) => [entry.name, entry]));
    expect(env.get('SLIPWAY_SERVICE_ID')?.value).toBe('svc-0001');
    expect(env.get('PORT')?.value).toBe('8080');
    expect(env.get('OTEL_SERVICE_NAME')?.value).toBe('web');
    expect(env.get('OTEL_EXPORTER_OTLP_ENDPOINT')?.value).toBe(options.collector.endpoint);
    for (const key of ['SLIPWAY_SERVICE_TOKEN', 'OTEL_EXPORTER_OTLP_HEADERS']) {
      // The Secret renderSecret writes has the same name (checked in secret.spec.ts).
      expect(env.get(key)).toEqual({
        name: key,
        valueFrom: { secretKeyRef: { name: setup().names.base, key } },
      });
    }
  });

  it("listens on the service's port when it names one, and gives it as PORT", () => {
    const custom = containerOf({ port: 3000, healthCheckPath: '/healthz' });
    expect(custom.ports).toEqual([{ name: 'http', containerPort: 3000, protocol: 'TCP' }]);
    expect(custom.env?.find((entry) => entry.name === 'PORT')?.value).toBe('3000');
    // Probes use the named port, so they follow the number.
    expect(custom.readinessProbe?.httpGet).toEqual({ path: '/healthz', port: 'http' });
    expect(pod?.securityContext?.sysctls).toBeUndefined();
  });

  it('lets a port below 1024 be bound without capabilities (a safe sysctl)', () => {
    const low = deploymentOf({ port: 80 }).spec?.template.spec;
    expect(low?.securityContext?.sysctls).toEqual([
      { name: 'net.ipv4.ip_unprivileged_port_start', value: '0' },
    ]);
    expect(low?.containers[0]?.securityContext?.capabilities).toEqual({ drop: ['ALL'] });
  });

  it('does not mount an API token and does not inject service links', () => {
    expect(pod?.automountServiceAccountToken).toBe(false);
    expect(pod?.enableServiceLinks).toBe(false);
    expect(pod?.serviceAccountName).toBe(deployment.metadata?.name);
  });

  it('rolls with maxUnavailable 0 and drains before stopping, within the grace period', () => {
    expect(deployment.spec?.strategy).toEqual({
      type: 'RollingUpdate',
      rollingUpdate: { maxUnavailable: 0, maxSurge: '25%' },
    });
    expect(container.lifecycle).toEqual({ preStop: { sleep: { seconds: 10 } } });
    expect(pod?.terminationGracePeriodSeconds).toBe(40);
  });

  it("gives the process the service's stop grace period after the drain", () => {
    const pod = deploymentOf({ stopGracePeriodSeconds: 90 }).spec?.template.spec;
    expect(pod?.terminationGracePeriodSeconds).toBe(10 + 90);
  });

  it('sets requests and limits from the platform defaults', () => {
    expect(container.resources).toEqual({
      requests: { cpu: '250m', memory: '512Mi' },
      limits: { cpu: '1', memory: '1Gi' },
    });
  });

  it('labels and annotates org, project, service and deployment', () => {
    expect(deployment.spec?.selector).toEqual({
      matchLabels: { 'slipway.dev/service-id': 'svc-0001' },
    });
    expect(deployment.spec?.template.metadata?.labels).toMatchObject({
      'slipway.dev/org-id': 'org-0001',
      'slipway.dev/project-id': 'prj-0001',
      'slipway.dev/service-id': 'svc-0001',
      'slipway.dev/deployment-id': 'dep-0001',
    });
    expect(deployment.metadata?.annotations?.['slipway.dev/deployment-id']).toBe('dep-0001');
  });

  it('matches the snapshot', () => {
    expect(deployment).toMatchSnapshot();
  });
});

describe('renderDeployment: probes', () => {
  it('uses TCP checks on 8080 without a health check path, and no liveness probe', () => {
    const container = containerOf();
    expect(container.readinessProbe?.tcpSocket).toEqual({ port: 'http' });
    expect(container.startupProbe?.tcpSocket).toEqual({ port: 'http' });
    expect(container.livenessProbe).toBeUndefined();
  });

  it('uses the health check path for readiness, liveness and startup', () => {
    const container = containerOf({ healthCheckPath: '/healthz' });
    for (const probe of [
      container.readinessProbe,
      container.livenessProbe,
      container.startupProbe,
    ]) {
      expect(probe?.httpGet).toEqual({ path: '/healthz', port: 'http' });
    }
  });

  it('applies startup probe overrides and stretches the rollout deadline to fit', () => {
    const deployment = deploymentOf({
      startupProbe: { path: '/ready', periodSeconds: 10, failureThreshold: 90 },
    });
    const container = deployment.spec?.template.spec?.containers[0];
    expect(container?.startupProbe).toEqual({
      httpGet: { path: '/ready', port: 'http' },
      initialDelaySeconds: 0,
      periodSeconds: 10,
      timeoutSeconds: 2,
      failureThreshold: 90,
    });
    expect(deployment.spec?.progressDeadlineSeconds).toBe(900 + 120);
  });
});

describe('renderDeployment: image, scaling, GPUs and restarts', () => {
  it('pins the image by digest when known', () => {
    const digest = `sha256:${'0f'.repeat(32)}`;
    const container = containerOf({ image: 'localhost:5000/a/b:tag', imageDigest: digest });
    expect(container.image).toBe(`localhost:5000/a/b@${digest}`);
    expect(container.imagePullPolicy).toBe('IfNotPresent');
    expect(resolveImage({ ...setup().spec, image: 'nginx', imageDigest: digest })).toBe(
      `nginx@${digest}`,
    );
    expect(containerOf({ image: 'nginx' }).imagePullPolicy).toBe('Always');
  });

  it('leaves replicas to the HPA when autoscaling, and starts scale-to-zero at one', () => {
    expect(
      deploymentOf({ autoscaling: { minReplicas: 2, maxReplicas: 5 } }).spec,
    ).not.toHaveProperty('replicas');
    const idle = deploymentOf({
      autoscaling: { minReplicas: 0, maxReplicas: 3, targetConcurrency: 10 },
    });
    expect(idle.spec?.replicas).toBe(1);
    expect(idle.metadata?.annotations).toMatchObject({
      'slipway.dev/scale-to-zero': 'true',
      'slipway.dev/min-replicas': '0',
      'slipway.dev/max-replicas': '3',
      'slipway.dev/target-concurrency': '10',
    });
    expect(deploymentOf({ autoscaling: { minReplicas: 3, maxReplicas: 3 } }).spec?.replicas).toBe(
      3,
    );
  });

  it('asks for GPUs and lands on the GPU type node pool', () => {
    const deployment = deploymentOf({
      gpu: { type: 'A100-80GB', count: 2 },
      resources: { limits: { cpu: Cpu.cores(8), memory: Size.gibibytes(64) } },
    });
    const pod = deployment.spec?.template.spec;
    expect(pod?.containers[0]?.resources?.limits).toEqual({
      cpu: '8',
      memory: '64Gi',
      'nvidia.com/gpu': '2',
    });
    expect(pod?.nodeSelector).toEqual({ 'slipway.dev/gpu': 'a100-80gb' });
    expect(pod?.tolerations).toEqual([
      { key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' },
    ]);
  });

  it('refuses a GPU type without a node pool', () => {
    const s = setup({ gpu: { type: 'T4' } });
    expect(() => renderDeployment(s.spec, s.names, s.platform)).toThrow(
      'spec.gpu.type: no GPU node pool is configured for "T4"',
    );
  });

  it('exposes the restart hook as a pod-template annotation', () => {
    const annotations = deploymentOf({ restartedAt: '2026-01-01T00:00:00Z' }).spec?.template
      .metadata?.annotations;
    expect(annotations?.['kubectl.kubernetes.io/restartedAt']).toBe('2026-01-01T00:00:00Z');
    expect(restartPatch('2026-01-02T00:00:00Z')).toEqual({
      spec: {
        template: {
          metadata: {
            annotations: { 'kubectl.kubernetes.io/restartedAt': '2026-01-02T00:00:00Z' },
          },
        },
      },
    });
  });
});

describe('renderStatefulSet', () => {
  const s = setup({
    volumes: [
      { name: 'data', mountPath: '/data', size: Size.gibibytes(20) },
      {
        name: 'cache',
        mountPath: '/var/cache/app',
        size: Size.gibibytes(5),
        storageClassName: 'fast-ssd',
      },
    ],
    replicas: 2,
  });
  const set = expectValid(renderStatefulSet(s.spec, s.names, s.platform));

  it('is what renderWorkload picks for a service with volumes', () => {
    expect(renderWorkload(s.spec, s.names, s.platform).kind).toBe('StatefulSet');
    expect(renderWorkload(setup().spec, s.names, s.platform).kind).toBe('Deployment');
  });

  it('gives every instance its own disk per volume, mounted where asked', () => {
    expect(
      set.spec?.volumeClaimTemplates?.map((claim) => [
        claim.metadata?.name,
        claim.spec?.resources?.requests?.storage,
        claim.spec?.storageClassName,
      ]),
    ).toEqual([
      ['data', '20Gi', undefined],
      ['cache', '5Gi', 'fast-ssd'],
    ]);
    expect(set.spec?.template.spec?.containers[0]?.volumeMounts).toEqual([
      { name: 'tmp', mountPath: '/tmp' },
      { name: 'data', mountPath: '/data' },
      { name: 'cache', mountPath: '/var/cache/app' },
    ]);
  });

  it('keeps disks on scale-down, deletes them with the service, and uses the headless Service', () => {
    expect(set.spec?.persistentVolumeClaimRetentionPolicy).toEqual({
      whenDeleted: 'Delete',
      whenScaled: 'Retain',
    });
    expect(set.spec?.serviceName).toBe(s.names.headless);
    expect(set.spec?.replicas).toBe(2);
    expect(set.metadata?.name?.length).toBeLessThanOrEqual(52);
  });

  it('matches the snapshot', () => {
    expect(set).toMatchSnapshot();
  });
});
