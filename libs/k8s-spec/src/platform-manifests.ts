/**
 * The platform's own objects on a cluster: its namespace, the API's and the builder's
 * identities with least-privilege roles (rbac.ts), the build namespace with its documented
 * Pod Security exception, and the edge (Deployment + Service) that custom-domain Ingresses
 * and every service's traffic go through. Rendered, never hand-written, like a service's.
 */
import type { IClusterRole } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRole';
import type { IClusterRoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRoleBinding';
import type { IRole } from 'kubernetes-models/rbac.authorization.k8s.io/v1/Role';
import type { IRoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding';
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import type { INamespace } from 'kubernetes-models/v1/Namespace';
import type { IService } from 'kubernetes-models/v1/Service';
import type { IServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import { DEFAULT_BUILD_NAMESPACE, renderBuildNamespace } from './build-job';
import { CONTAINER_CONTRACT } from './contract';
import { LABELS, MANAGED_BY } from './metadata';
import { podSecurityLabels } from './namespace';
import {
  BUILDER_NAMESPACE_PERMISSIONS,
  BUILDER_PERMISSIONS,
  renderApiClusterRole,
  type Permission,
} from './rbac';

export interface PlatformManifestOptions {
  /** The platform's namespace (API, builder, collector, edge). @default 'slipway' */
  readonly namespace?: string;
  /** @default 'slipway-builds' */
  readonly buildNamespace?: string;
  /** The edge's image: the repository's Dockerfile built with APP=edge. */
  readonly edgeImage: string;
  /** Secret in the platform namespace holding DATABASE_URL, REDIS_URL and SLIPWAY_SECRET_KEY. */
  readonly configSecret?: string;
  /** @default 2 */
  readonly edgeReplicas?: number;
}

export type PlatformObject =
  | INamespace
  | IServiceAccount
  | IClusterRole
  | IClusterRoleBinding
  | IRole
  | IRoleBinding
  | IDeployment
  | IService;

/** The label the services' NetworkPolicies admit the edge by (see kubernetesPlatform). */
export const EDGE_APP_LABEL = { 'app.kubernetes.io/name': 'slipway-edge' } as const;
/** The edge's Service: the backend custom-domain Ingresses name. */
export const EDGE_SERVICE_NAME = 'slipway-edge';
const EDGE_PORT = 8000;
const EDGE_ADMIN_PORT = 8001;
const managed = { [LABELS.managedBy]: MANAGED_BY };

function rules(permissions: readonly Permission[]): IRole['rules'] {
  return permissions.map(({ apiGroup, resource, verbs }) => ({
    apiGroups: [apiGroup],
    resources: [resource],
    verbs: [...verbs],
  }));
}

function serviceAccount(name: string, namespace: string, token: boolean): IServiceAccount {
  return {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { name, namespace, labels: managed },
    automountServiceAccountToken: token,
  };
}

/** Binds `role` to the ServiceAccount `subject`; a RoleBinding when given a namespace. */
function binding(
  name: string,
  role: { kind: 'ClusterRole' | 'Role'; name: string },
  subject: { name: string; namespace: string },
  namespace?: string,
): IClusterRoleBinding | IRoleBinding {
  const common = {
    apiVersion: 'rbac.authorization.k8s.io/v1' as const,
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', ...role },
    subjects: [{ kind: 'ServiceAccount', ...subject }],
  };
  return namespace === undefined
    ? { ...common, kind: 'ClusterRoleBinding', metadata: { name, labels: managed } }
    : { ...common, kind: 'RoleBinding', metadata: { name, namespace, labels: managed } };
}

function edgeDeployment(namespace: string, options: PlatformManifestOptions): IDeployment {
  const secret = options.configSecret ?? 'slipway-config';
  const fromSecret = (name: string) => ({
    name,
    valueFrom: { secretKeyRef: { name: secret, key: name } },
  });
  const probe = (path: string) => ({ httpGet: { path, port: EDGE_ADMIN_PORT }, periodSeconds: 5 });
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'slipway-edge', namespace, labels: { ...managed, ...EDGE_APP_LABEL } },
    spec: {
      replicas: options.edgeReplicas ?? 2,
      selector: { matchLabels: { ...EDGE_APP_LABEL } },
      template: {
        metadata: { labels: { ...managed, ...EDGE_APP_LABEL } },
        spec: {
          serviceAccountName: 'slipway-edge',
          automountServiceAccountToken: false,
          securityContext: {
            runAsNonRoot: true,
            runAsUser: CONTAINER_CONTRACT.uid,
            runAsGroup: CONTAINER_CONTRACT.gid,
            seccompProfile: { type: 'RuntimeDefault' },
          },
          containers: [
            {
              name: 'edge',
              image: options.edgeImage,
              env: [
                { name: 'NODE_ENV', value: 'production' },
                { name: 'EDGE_PORT', value: String(EDGE_PORT) },
                { name: 'EDGE_ADMIN_PORT', value: String(EDGE_ADMIN_PORT) },
                fromSecret('DATABASE_URL'),
                fromSecret('REDIS_URL'),
                fromSecret('SLIPWAY_SECRET_KEY'),
              ],
              ports: [
                { name: 'http', containerPort: EDGE_PORT },
                { name: 'admin', containerPort: EDGE_ADMIN_PORT },
              ],
              readinessProbe: probe('/readyz'),
              livenessProbe: probe('/healthz'),
              securityContext: {
                allowPrivilegeEscalation: false,
                readOnlyRootFilesystem: true,
                capabilities: { drop: ['ALL'] },
              },
              // HAProxy's run directory and sockets live under /tmp.
              volumeMounts: [{ name: 'tmp', mountPath: CONTAINER_CONTRACT.tmpPath }],
            },
          ],
          volumes: [{ name: 'tmp', emptyDir: { medium: 'Memory', sizeLimit: '64Mi' } }],
        },
      },
    },
  };
}

/** Every platform object, in the order to apply them. */
export function renderPlatformObjects(options: PlatformManifestOptions): PlatformObject[] {
  const namespace = options.namespace ?? 'slipway';
  const buildNamespace = options.buildNamespace ?? DEFAULT_BUILD_NAMESPACE;
  const builderNamespaceRole: IClusterRole = {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: { name: 'slipway-builder', labels: managed },
    rules: (rules(BUILDER_NAMESPACE_PERMISSIONS) ?? []).map((rule) => ({
      ...rule,
      resourceNames: [buildNamespace],
    })),
  };
  return [
    {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: namespace, labels: { ...podSecurityLabels('restricted'), ...managed } },
    },
    renderBuildNamespace({ namespace: buildNamespace }),
    serviceAccount('slipway-api', namespace, true),
    renderApiClusterRole('slipway-api'),
    binding(
      'slipway-api',
      { kind: 'ClusterRole', name: 'slipway-api' },
      { name: 'slipway-api', namespace },
    ),
    serviceAccount('slipway-builder', namespace, true),
    builderNamespaceRole,
    binding(
      'slipway-builder',
      { kind: 'ClusterRole', name: 'slipway-builder' },
      { name: 'slipway-builder', namespace },
    ),
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: 'slipway-builder', namespace: buildNamespace, labels: managed },
      rules: rules(BUILDER_PERMISSIONS),
    },
    binding(
      'slipway-builder',
      { kind: 'Role', name: 'slipway-builder' },
      { name: 'slipway-builder', namespace },
      buildNamespace,
    ),
    serviceAccount('slipway-edge', namespace, false),
    edgeDeployment(namespace, options),
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: EDGE_SERVICE_NAME, namespace, labels: managed },
      spec: {
        selector: { ...EDGE_APP_LABEL },
        ports: [{ name: 'http', port: EDGE_PORT, targetPort: 'http' }],
      },
    },
  ];
}
