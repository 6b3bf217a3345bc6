/**
 * The platform's own objects on a cluster: its namespace, the API's and the builder's
 * identities with least-privilege roles (rbac.ts), the build namespace with its documented
 * Pod Security exception, the edge (Deployment + Service) that custom-domain Ingresses
 * and every service's traffic go through, and the trace collector (Deployment + Service)
 * the services' SDKs post to. Rendered, never hand-written, like a service's.
 */
import type { IClusterRole } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRole';
import type { IClusterRoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRoleBinding';
import type { IRole } from 'kubernetes-models/rbac.authorization.k8s.io/v1/Role';
import type { IRoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding';
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import type { IEnvVar } from 'kubernetes-models/v1/EnvVar';
import type { INamespace } from 'kubernetes-models/v1/Namespace';
import type { IService } from 'kubernetes-models/v1/Service';
import type { IServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import { DEFAULT_BUILD_NAMESPACE, renderBuildNamespace } from './build-job';
import { CONTAINER_CONTRACT } from './contract';
import { Problems, SpecValidationError, type SpecProblem } from './errors';
import { LABELS, MANAGED_BY } from './metadata';
import { podSecurityLabels } from './namespace';
import {
  BUILDER_NAMESPACE_PERMISSIONS,
  BUILDER_PERMISSIONS,
  renderApiClusterRole,
  type Permission,
} from './rbac';
import { dnsLabel, dnsSubdomain, imageReference, integerRule, oneOf } from './rules';
import { MAX_REPLICAS } from './service-spec';

export type ImagePullPolicy = 'IfNotPresent' | 'Always' | 'Never';
export const IMAGE_PULL_POLICIES: readonly ImagePullPolicy[] = ['IfNotPresent', 'Always', 'Never'];
/** Kubernetes' default `--service-node-port-range`. */
export const NODE_PORT_RANGE = [30000, 32767] as const;

export interface PlatformManifestOptions {
  /** The platform's namespace (API, builder, collector, edge). @default 'slipway' */
  readonly namespace?: string;
  /** @default 'slipway-builds' */
  readonly buildNamespace?: string;
  /** The edge's image: the repository's Dockerfile built with APP=edge. */
  readonly edgeImage: string;
  /** The trace collector's image: the repository's Dockerfile built with APP=collector. */
  readonly collectorImage: string;
  /** Secret in the platform namespace holding DATABASE_URL, REDIS_URL and SLIPWAY_SECRET_KEY. */
  readonly configSecret?: string;
  /** @default 2 */
  readonly edgeReplicas?: number;
  /** @default 1 */
  readonly collectorReplicas?: number;
  /** For the edge's and the collector's containers. @default unset (Kubernetes decides by tag) */
  readonly imagePullPolicy?: ImagePullPolicy;
  /**
   * Publishes the edge on every node at this port (30000–32767): its Service becomes a
   * NodePort, for clusters without a load balancer in front. @default a ClusterIP Service
   */
  readonly edgeNodePort?: number;
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
/** The label the services' NetworkPolicies let them reach the collector by (see kubernetesPlatform). */
export const COLLECTOR_APP_LABEL = { 'app.kubernetes.io/name': 'slipway-collector' } as const;
/** The collector's Service: services post their traces to it (OTLP/HTTP). */
export const COLLECTOR_SERVICE_NAME = 'slipway-collector';
const EDGE_PORT = 8000;
const EDGE_ADMIN_PORT = 8001;
const COLLECTOR_PORT = 4318;
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

/** An env var read from the platform's config Secret. */
type SecretEnv = (name: string) => IEnvVar;

/** A platform server run as a Deployment under the container contract. */
interface Workload {
  /** The Deployment's, ServiceAccount's and Service's name. */
  readonly name: string;
  readonly podLabels: Readonly<Record<string, string>>;
  readonly container: string;
  readonly image: string;
  readonly replicas: number;
  readonly env: readonly IEnvVar[];
  readonly ports: readonly { readonly name: string; readonly containerPort: number }[];
  /** Serves `/readyz` and `/healthz`. */
  readonly probePort: number;
}

function deployment(
  namespace: string,
  workload: Workload,
  imagePullPolicy: ImagePullPolicy | undefined,
): IDeployment {
  const probe = (path: string) => ({
    httpGet: { path, port: workload.probePort },
    periodSeconds: 5,
  });
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: workload.name, namespace, labels: { ...managed, ...workload.podLabels } },
    spec: {
      replicas: workload.replicas,
      selector: { matchLabels: { ...workload.podLabels } },
      template: {
        metadata: { labels: { ...managed, ...workload.podLabels } },
        spec: {
          serviceAccountName: workload.name,
          automountServiceAccountToken: false,
          securityContext: {
            runAsNonRoot: true,
            runAsUser: CONTAINER_CONTRACT.uid,
            runAsGroup: CONTAINER_CONTRACT.gid,
            seccompProfile: { type: 'RuntimeDefault' },
          },
          containers: [
            {
              name: workload.container,
              image: workload.image,
              // Unset, Kubernetes decides: Always for `:latest` or no tag, else IfNotPresent.
              ...(imagePullPolicy === undefined ? {} : { imagePullPolicy }),
              env: [...workload.env],
              ports: workload.ports.map((port) => ({ ...port })),
              readinessProbe: probe('/readyz'),
              livenessProbe: probe('/healthz'),
              securityContext: {
                allowPrivilegeEscalation: false,
                readOnlyRootFilesystem: true,
                capabilities: { drop: ['ALL'] },
              },
              // The only writable path (HAProxy's run directory and sockets, for the edge).
              volumeMounts: [{ name: 'tmp', mountPath: CONTAINER_CONTRACT.tmpPath }],
            },
          ],
          volumes: [{ name: 'tmp', emptyDir: { medium: 'Memory', sizeLimit: '64Mi' } }],
        },
      },
    },
  };
}

function service(
  namespace: string,
  workload: Workload,
  port: { readonly name: string; readonly port: number; readonly nodePort?: number },
): IService {
  const { nodePort } = port;
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: workload.name, namespace, labels: managed },
    spec: {
      type: nodePort === undefined ? 'ClusterIP' : 'NodePort',
      selector: { ...workload.podLabels },
      ports: [
        {
          name: port.name,
          port: port.port,
          targetPort: port.name,
          ...(nodePort === undefined ? {} : { nodePort }),
        },
      ],
    },
  };
}

/** Problems with the options, each at the option's name (`edgeNodePort`); empty when valid. */
export function validatePlatformManifestOptions(
  options: PlatformManifestOptions,
): readonly SpecProblem[] {
  const problems = new Problems();
  problems.add('edgeImage', imageReference(options.edgeImage));
  problems.add('collectorImage', imageReference(options.collectorImage));
  problems.optional('namespace', options.namespace, dnsLabel);
  problems.optional('buildNamespace', options.buildNamespace, dnsLabel);
  problems.optional('configSecret', options.configSecret, dnsSubdomain);
  problems.optional('edgeReplicas', options.edgeReplicas, integerRule(0, MAX_REPLICAS));
  problems.optional('collectorReplicas', options.collectorReplicas, integerRule(0, MAX_REPLICAS));
  problems.optional('imagePullPolicy', options.imagePullPolicy, oneOf(IMAGE_PULL_POLICIES));
  problems.optional('edgeNodePort', options.edgeNodePort, integerRule(...NODE_PORT_RANGE));
  return problems.all;
}

function edge(options: PlatformManifestOptions, fromSecret: SecretEnv): Workload {
  return {
    name: EDGE_SERVICE_NAME,
    podLabels: EDGE_APP_LABEL,
    container: 'edge',
    image: options.edgeImage,
    replicas: options.edgeReplicas ?? 2,
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
    probePort: EDGE_ADMIN_PORT,
  };
}

function collector(options: PlatformManifestOptions, fromSecret: SecretEnv): Workload {
  return {
    name: COLLECTOR_SERVICE_NAME,
    podLabels: COLLECTOR_APP_LABEL,
    container: 'collector',
    image: options.collectorImage,
    replicas: options.collectorReplicas ?? 1,
    env: [
      { name: 'NODE_ENV', value: 'production' },
      { name: 'COLLECTOR_PORT', value: String(COLLECTOR_PORT) },
      fromSecret('DATABASE_URL'),
      fromSecret('SLIPWAY_SECRET_KEY'),
    ],
    ports: [{ name: 'otlp', containerPort: COLLECTOR_PORT }],
    probePort: COLLECTOR_PORT,
  };
}

/**
 * Every platform object, in the order to apply them. Throws SpecValidationError listing
 * every problem with the options (see validatePlatformManifestOptions).
 */
export function renderPlatformObjects(options: PlatformManifestOptions): PlatformObject[] {
  const problems = validatePlatformManifestOptions(options);
  if (problems.length > 0) throw new SpecValidationError(problems, 'platform manifest options');
  const namespace = options.namespace ?? 'slipway';
  const buildNamespace = options.buildNamespace ?? DEFAULT_BUILD_NAMESPACE;
  const secret = options.configSecret ?? 'slipway-config';
  const fromSecret: SecretEnv = (name) => ({
    name,
    valueFrom: { secretKeyRef: { name: secret, key: name } },
  });
  const edgeWorkload = edge(options, fromSecret);
  const collectorWorkload = collector(options, fromSecret);
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
    serviceAccount(edgeWorkload.name, namespace, false),
    deployment(namespace, edgeWorkload, options.imagePullPolicy),
    service(namespace, edgeWorkload, {
      name: 'http',
      port: EDGE_PORT,
      ...(options.edgeNodePort === undefined ? {} : { nodePort: options.edgeNodePort }),
    }),
    serviceAccount(collectorWorkload.name, namespace, false),
    deployment(namespace, collectorWorkload, options.imagePullPolicy),
    service(namespace, collectorWorkload, { name: 'otlp', port: COLLECTOR_PORT }),
  ];
}
