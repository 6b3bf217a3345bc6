import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import type { IPodSpec } from 'kubernetes-models/v1/PodSpec';
import type { IService } from 'kubernetes-models/v1/Service';
import { schemaProblems } from '@slipway/kube-client/testing';
import { BUILD_POD_SECURITY_EXCEPTION } from './build-job';
import { SpecValidationError } from './errors';
import {
  COLLECTOR_APP_LABEL,
  COLLECTOR_SERVICE_NAME,
  EDGE_APP_LABEL,
  EDGE_SERVICE_NAME,
  renderPlatformObjects,
  validatePlatformManifestOptions,
  type PlatformManifestOptions,
  type PlatformObject,
} from './platform-manifests';
import { API_PERMISSIONS, BUILDER_PERMISSIONS } from './rbac';
import { podSecurityViolations } from './test-support/pod-security';

const required: PlatformManifestOptions = {
  edgeImage: 'registry.example/slipway-edge:1',
  collectorImage: 'registry.example/slipway-collector:1',
};
const objects = renderPlatformObjects(required);
const findIn = (list: readonly PlatformObject[], kind: string, name: string) =>
  list.find((o) => o.kind === kind && o.metadata?.name === name);
const find = (kind: string, name: string) => findIn(objects, kind, name);
const deploymentIn = (list: readonly PlatformObject[], name: string) =>
  findIn(list, 'Deployment', name) as IDeployment;
const podOf = (deployment: IDeployment) => deployment.spec?.template.spec as IPodSpec;

describe('renderPlatformObjects', () => {
  it('renders schema-valid objects, namespaces first', () => {
    for (const object of objects) expect(schemaProblems(object)).toEqual([]);
    expect(objects.slice(0, 2).map((o) => `${o.kind} ${o.metadata?.name ?? ''}`)).toEqual([
      'Namespace slipway',
      'Namespace slipway-builds',
    ]);
  });

  it("binds the API's ServiceAccount to the ClusterRole rendered from API_PERMISSIONS", () => {
    expect(find('ClusterRole', 'slipway-api')).toMatchObject({
      rules: API_PERMISSIONS.map(({ apiGroup, resource, verbs }) => ({
        apiGroups: [apiGroup],
        resources: [resource],
        verbs,
      })),
    });
    expect(find('ClusterRoleBinding', 'slipway-api')).toMatchObject({
      roleRef: { kind: 'ClusterRole', name: 'slipway-api' },
      subjects: [{ kind: 'ServiceAccount', name: 'slipway-api', namespace: 'slipway' }],
    });
  });

  it('confines the builder to the build namespace, and that namespace to its exception', () => {
    expect(find('Role', 'slipway-builder')).toMatchObject({
      metadata: { namespace: 'slipway-builds' },
      rules: BUILDER_PERMISSIONS.map(({ apiGroup, resource, verbs }) => ({
        apiGroups: [apiGroup],
        resources: [resource],
        verbs,
      })),
    });
    expect(find('ClusterRole', 'slipway-builder')).toMatchObject({
      rules: [{ resources: ['namespaces'], verbs: ['patch'], resourceNames: ['slipway-builds'] }],
    });
    expect(find('Namespace', 'slipway-builds')?.metadata?.annotations).toMatchObject({
      'slipway.dev/pod-security-exception': BUILD_POD_SECURITY_EXCEPTION.reason,
    });
  });

  it('runs the edge under the container contract, behind the Service custom domains use', () => {
    const edge = find('Deployment', 'slipway-edge') as IDeployment;
    expect(edge.spec?.template.metadata?.labels).toMatchObject(EDGE_APP_LABEL);
    const pod = edge.spec?.template.spec as IPodSpec;
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.containers[0]?.securityContext).toEqual({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    });
    // Secrets come from a Secret, never inline.
    expect(
      pod.containers[0]?.env?.filter((e) => e.valueFrom !== undefined).map((e) => e.name),
    ).toEqual(['DATABASE_URL', 'REDIS_URL', 'SLIPWAY_SECRET_KEY']);
    expect(find('Service', 'slipway-edge')).toMatchObject({
      spec: { selector: EDGE_APP_LABEL, ports: [{ port: 8000 }] },
    });
  });

  it('runs the collector under the container contract, behind its ClusterIP Service', () => {
    const collector = find('Deployment', COLLECTOR_SERVICE_NAME) as IDeployment;
    expect(collector.metadata).toMatchObject({ namespace: 'slipway', labels: COLLECTOR_APP_LABEL });
    expect(collector.spec?.replicas).toBe(1);
    expect(collector.spec?.selector.matchLabels).toEqual(COLLECTOR_APP_LABEL);
    expect(collector.spec?.template.metadata?.labels).toMatchObject(COLLECTOR_APP_LABEL);
    expect(podSecurityViolations(collector.spec!.template, 'restricted')).toEqual([]);
    const pod = podOf(collector);
    expect(pod).toMatchObject({
      serviceAccountName: 'slipway-collector',
      automountServiceAccountToken: false,
      securityContext: {
        runAsNonRoot: true,
        runAsUser: 1000,
        runAsGroup: 1000,
        seccompProfile: { type: 'RuntimeDefault' },
      },
      volumes: [{ name: 'tmp', emptyDir: { medium: 'Memory' } }],
    });
    const [container] = pod.containers;
    expect(container).toMatchObject({
      name: 'collector',
      image: 'registry.example/slipway-collector:1',
      ports: [{ name: 'otlp', containerPort: 4318 }],
      readinessProbe: { httpGet: { path: '/readyz', port: 4318 } },
      livenessProbe: { httpGet: { path: '/healthz', port: 4318 } },
      securityContext: {
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        capabilities: { drop: ['ALL'] },
      },
      volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
    });
    expect(container?.env).toEqual([
      { name: 'NODE_ENV', value: 'production' },
      { name: 'COLLECTOR_PORT', value: '4318' },
      {
        name: 'DATABASE_URL',
        valueFrom: { secretKeyRef: { name: 'slipway-config', key: 'DATABASE_URL' } },
      },
      {
        name: 'SLIPWAY_SECRET_KEY',
        valueFrom: { secretKeyRef: { name: 'slipway-config', key: 'SLIPWAY_SECRET_KEY' } },
      },
    ]);
    expect(find('ServiceAccount', 'slipway-collector')).toMatchObject({
      metadata: { namespace: 'slipway' },
      automountServiceAccountToken: false,
    });
    expect(find('Service', COLLECTOR_SERVICE_NAME)).toEqual({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: {
        name: 'slipway-collector',
        namespace: 'slipway',
        labels: { 'app.kubernetes.io/managed-by': 'slipway' },
      },
      spec: {
        type: 'ClusterIP',
        selector: COLLECTOR_APP_LABEL,
        ports: [{ name: 'otlp', port: 4318, targetPort: 'otlp' }],
      },
    });
  });

  it('keeps both platform pods within the restricted Pod Security Standard', () => {
    for (const name of [EDGE_SERVICE_NAME, COLLECTOR_SERVICE_NAME]) {
      expect(
        podSecurityViolations(deploymentIn(objects, name).spec!.template, 'restricted'),
      ).toEqual([]);
    }
  });

  it('applies the namespace, config Secret and replica options to the collector', () => {
    const custom = renderPlatformObjects({
      ...required,
      namespace: 'platform',
      configSecret: 'platform-config',
      collectorReplicas: 3,
      edgeReplicas: 4,
    });
    for (const object of custom) expect(schemaProblems(object)).toEqual([]);
    const collector = deploymentIn(custom, COLLECTOR_SERVICE_NAME);
    expect(collector.metadata?.namespace).toBe('platform');
    expect(collector.spec?.replicas).toBe(3);
    expect(deploymentIn(custom, EDGE_SERVICE_NAME).spec?.replicas).toBe(4);
    expect(
      podOf(collector).containers[0]?.env?.flatMap((e) => e.valueFrom?.secretKeyRef?.name ?? []),
    ).toEqual(['platform-config', 'platform-config']);
    expect(findIn(custom, 'Service', COLLECTOR_SERVICE_NAME)?.metadata?.namespace).toBe('platform');
  });

  it('leaves the pull policy to Kubernetes unless one is given, then sets it on both', () => {
    for (const name of [EDGE_SERVICE_NAME, COLLECTOR_SERVICE_NAME]) {
      expect(podOf(deploymentIn(objects, name)).containers[0]).not.toHaveProperty(
        'imagePullPolicy',
      );
    }
    for (const imagePullPolicy of ['IfNotPresent', 'Always', 'Never'] as const) {
      const pulled = renderPlatformObjects({ ...required, imagePullPolicy });
      for (const name of [EDGE_SERVICE_NAME, COLLECTOR_SERVICE_NAME]) {
        const deployment = deploymentIn(pulled, name);
        expect(schemaProblems(deployment)).toEqual([]);
        expect(podOf(deployment).containers[0]?.imagePullPolicy).toBe(imagePullPolicy);
      }
    }
  });

  it('publishes the edge as a NodePort Service when edgeNodePort is set', () => {
    expect(find('Service', EDGE_SERVICE_NAME)).toMatchObject({ spec: { type: 'ClusterIP' } });
    expect((find('Service', EDGE_SERVICE_NAME) as IService).spec?.ports?.[0]).not.toHaveProperty(
      'nodePort',
    );
    for (const edgeNodePort of [30000, 30080, 32767]) {
      const published = renderPlatformObjects({ ...required, edgeNodePort });
      const edge = findIn(published, 'Service', EDGE_SERVICE_NAME) as IService;
      expect(schemaProblems(edge)).toEqual([]);
      expect(edge.spec).toEqual({
        type: 'NodePort',
        selector: EDGE_APP_LABEL,
        ports: [{ name: 'http', port: 8000, targetPort: 'http', nodePort: edgeNodePort }],
      });
      // Only the edge is published; the collector stays inside the cluster.
      expect(findIn(published, 'Service', COLLECTOR_SERVICE_NAME)).toMatchObject({
        spec: { type: 'ClusterIP' },
      });
    }
  });

  it.each([80, 29999, 32768, 30080.5, -30080, Number.NaN])(
    'refuses edgeNodePort %p, naming the option',
    (edgeNodePort) => {
      const render = () => renderPlatformObjects({ ...required, edgeNodePort });
      expect(render).toThrow(SpecValidationError);
      expect(render).toThrow(/^invalid platform manifest options: edgeNodePort: must be/);
    },
  );

  it('lists every problem with the options at once', () => {
    expect(
      validatePlatformManifestOptions({
        edgeImage: 'Not An Image',
        collectorImage: '',
        namespace: 'Platform',
        edgeReplicas: -1,
        collectorReplicas: 1.5,
        // @ts-expect-error: a JavaScript caller's typo
        imagePullPolicy: 'always',
        edgeNodePort: 8000,
      }).map((problem) => problem.path),
    ).toEqual([
      'edgeImage',
      'collectorImage',
      'namespace',
      'edgeReplicas',
      'collectorReplicas',
      'imagePullPolicy',
      'edgeNodePort',
    ]);
    expect(validatePlatformManifestOptions(required)).toEqual([]);
  });
});
