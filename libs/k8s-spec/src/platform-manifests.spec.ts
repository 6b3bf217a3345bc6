import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import type { IPodSpec } from 'kubernetes-models/v1/PodSpec';
import { schemaProblems } from '@slipway/kube-client/testing';
import { BUILD_POD_SECURITY_EXCEPTION } from './build-job';
import { EDGE_APP_LABEL, renderPlatformObjects } from './platform-manifests';
import { API_PERMISSIONS, BUILDER_PERMISSIONS } from './rbac';

const objects = renderPlatformObjects({ edgeImage: 'registry.example/slipway-edge:1' });
const find = (kind: string, name: string) =>
  objects.find((o) => o.kind === kind && o.metadata?.name === name);

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
});
