/**
 * The Kaniko build: a Job whose init container downloads the source bundle with a
 * one-time token and whose main container builds and pushes the image.
 *
 * Kaniko runs as root: it unpacks base images over its own filesystem and runs RUN steps
 * as the Dockerfile's users. That is the one documented exception to the `restricted`
 * Pod Security Standard; the build namespace enforces `baseline` instead, and the
 * exception is spelled out in BUILD_POD_SECURITY_EXCEPTION and checked by the tests.
 */
import { posix } from 'node:path';
import type { BuildJobPayload } from '@slipway/contracts';
import type { IJob } from 'kubernetes-models/batch/v1/Job';
import type { INamespace } from 'kubernetes-models/v1/Namespace';
import type { ISecret } from 'kubernetes-models/v1/Secret';
import type { IToleration } from 'kubernetes-models/v1/Toleration';
import { restrictedSecurityContext } from './contract';
import { LABELS, MANAGED_BY } from './metadata';
import { podSecurityLabels } from './namespace';
import { resourceName } from './naming';
import type { Labels } from './platform';
import { Cpu, Size } from './quantities';
import { validateBuild } from './build-validation';

/**
 * Chainguard's maintained Kaniko fork (the original was archived in 2025). Only `latest`
 * is published without a subscription, so that is the default; pin a digest in
 * production with `executorImage`.
 */
export const DEFAULT_KANIKO_IMAGE = 'cgr.dev/chainguard/kaniko:latest';
/** curl without a shell: all the init container needs. */
export const DEFAULT_FETCHER_IMAGE = 'cgr.dev/chainguard/curl:latest';
/** Where Kaniko unpacks a `tar://` context; Dockerfile paths are resolved against it. */
export const KANIKO_BUILD_CONTEXT_DIR = '/kaniko/buildcontext';
export const DEFAULT_BUILD_NAMESPACE = 'slipway-builds';

/** Capabilities Kaniko keeps: file ownership and user switching for RUN steps, no more. */
export const KANIKO_CAPABILITIES = [
  'CHOWN',
  'DAC_OVERRIDE',
  'FOWNER',
  'FSETID',
  'KILL',
  'SETGID',
  'SETUID',
  'SETFCAP',
] as const;

/** The documented exception: exactly these `restricted` rules are broken, by this container. */
export const BUILD_POD_SECURITY_EXCEPTION = {
  namespaceLevel: 'baseline',
  container: 'kaniko',
  rules: ['capabilities', 'runAsNonRoot', 'runAsUser'],
  reason:
    'Kaniko builds images as root inside its container (no daemon, no privileged mode); ' +
    `it keeps only ${KANIKO_CAPABILITIES.join(', ')}, all within the baseline profile.`,
} as const;

/**
 * What one build needs: the build job payload, minus what only the API checks. The Job
 * downloads an uploaded source bundle, so a bundle is required and a git source is not taken.
 */
export type BuildSpec = Omit<BuildJobPayload, 'bundle' | 'git'> & {
  readonly bundle: Pick<NonNullable<BuildJobPayload['bundle']>, 'url' | 'token'>;
};

export interface BuildResources {
  readonly cpu: Cpu;
  readonly memory: Size;
  /** Kaniko writes image layers to its own filesystem, which counts as ephemeral storage. */
  readonly ephemeralStorage: Size;
}

export interface BuildOptions {
  /** Secret of type kubernetes.io/dockerconfigjson in the build namespace, for pushes and pulls. */
  readonly registrySecretName: string;
  /** @default 'slipway-builds' */
  readonly namespace?: string;
  /** @default DEFAULT_KANIKO_IMAGE */
  readonly executorImage?: string;
  /** @default DEFAULT_FETCHER_IMAGE */
  readonly fetcherImage?: string;
  /** Registries reached over plain HTTP (a local registry). @default [] */
  readonly insecureRegistries?: readonly string[];
  /** @default 1 CPU, 2Gi memory, 2Gi ephemeral storage */
  readonly requests?: BuildResources;
  /** @default 2 CPU, 4Gi memory, 20Gi ephemeral storage */
  readonly limits?: BuildResources;
  /** Largest bundle the download may hold. @default 2Gi */
  readonly workspaceSize?: Size;
  /** A build running longer is killed and reported failed. @default 1800 */
  readonly activeDeadlineSeconds?: number;
  /** Finished Jobs (and their pods and logs) are removed after this. @default 3600 */
  readonly ttlSecondsAfterFinished?: number;
  /** For pulling the executor and fetcher images. @default none */
  readonly imagePullSecretName?: string;
  /** @default {} */
  readonly nodeSelector?: Labels;
  /** @default [] */
  readonly tolerations?: readonly IToleration[];
}

const WORKSPACE = '/workspace';
const BUNDLE_FILE = `${WORKSPACE}/context.tar.gz`;
const TOKEN_DIR = '/var/run/slipway/bundle';
const TOKEN_KEY = 'authorization';

function buildLabels(spec: BuildSpec): Labels {
  return {
    [LABELS.component]: 'build',
    [LABELS.managedBy]: MANAGED_BY,
    [LABELS.orgId]: spec.orgId,
    [LABELS.projectId]: spec.projectId,
    [LABELS.serviceId]: spec.serviceId,
    [LABELS.deploymentId]: spec.deploymentId,
  };
}

export const DEFAULT_BUILD_REQUESTS: BuildResources = {
  cpu: Cpu.cores(1),
  memory: Size.gibibytes(2),
  ephemeralStorage: Size.gibibytes(2),
};
export const DEFAULT_BUILD_LIMITS: BuildResources = {
  cpu: Cpu.cores(2),
  memory: Size.gibibytes(4),
  ephemeralStorage: Size.gibibytes(20),
};

function quantities(resources: BuildResources): Record<string, string> {
  return {
    cpu: resources.cpu.toString(),
    memory: resources.memory.toString(),
    'ephemeral-storage': resources.ephemeralStorage.toString(),
  };
}

/** Name shared by a build's Job and its token Secret. */
export function buildJobName(spec: Pick<BuildSpec, 'deploymentId' | 'serviceId'>): string {
  return resourceName(['build', spec.deploymentId], { uniqueBy: spec.serviceId });
}

export function kanikoArgs(spec: BuildSpec, options: BuildOptions): string[] {
  const context = posix.normalize(spec.docker.context);
  return [
    `--context=tar://${BUNDLE_FILE}`,
    ...(context === '.' ? [] : [`--context-sub-path=${context}`]),
    // Absolute, so the Dockerfile path is relative to the bundle root whatever the context.
    `--dockerfile=${posix.join(KANIKO_BUILD_CONTEXT_DIR, spec.docker.file)}`,
    `--destination=${spec.destination}`,
    // Kaniko writes the pushed digest here; it comes back as the container's termination message.
    '--digest-file=/dev/termination-log',
    '--snapshot-mode=redo',
    '--push-retry=2',
    ...(spec.cacheRepository === undefined
      ? []
      : ['--cache=true', `--cache-repo=${spec.cacheRepository}`]),
    ...(options.insecureRegistries ?? []).map((registry) => `--insecure-registry=${registry}`),
  ];
}

/** The build namespace, enforcing `baseline` and saying why it is not `restricted`. */
export function renderBuildNamespace(options: Pick<BuildOptions, 'namespace'> = {}): INamespace {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name: options.namespace ?? DEFAULT_BUILD_NAMESPACE,
      labels: {
        ...podSecurityLabels(BUILD_POD_SECURITY_EXCEPTION.namespaceLevel),
        [LABELS.managedBy]: MANAGED_BY,
        [LABELS.component]: 'build',
      },
      annotations: { 'slipway.dev/pod-security-exception': BUILD_POD_SECURITY_EXCEPTION.reason },
    },
  };
}

/**
 * The token Secret and the Job, in apply order. The one-time bundle token is only in the
 * Secret, mounted as a curl header file; it never appears in the pod spec or in argv.
 */
export function renderBuildJob(spec: BuildSpec, options: BuildOptions): readonly [ISecret, IJob] {
  validateBuild(spec, options);
  const namespace = options.namespace ?? DEFAULT_BUILD_NAMESPACE;
  const name = buildJobName(spec);
  const labels = buildLabels(spec);
  const requests = options.requests ?? DEFAULT_BUILD_REQUESTS;
  const limits = options.limits ?? DEFAULT_BUILD_LIMITS;
  const secret: ISecret = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name, namespace, labels: { ...labels } },
    type: 'Opaque',
    // Immutable: the token is used once and never updated in place.
    immutable: true,
    data: {
      [TOKEN_KEY]: Buffer.from(`Authorization: Bearer ${spec.bundle.token}`).toString('base64'),
    },
  };
  const job: IJob = {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, namespace, labels: { ...labels } },
    spec: {
      // A failed build is reported, not retried: the user fixes the Dockerfile.
      backoffLimit: 0,
      activeDeadlineSeconds: options.activeDeadlineSeconds ?? 1800,
      ttlSecondsAfterFinished: options.ttlSecondsAfterFinished ?? 3600,
      template: {
        metadata: { labels: { ...labels } },
        spec: {
          restartPolicy: 'Never',
          automountServiceAccountToken: false,
          enableServiceLinks: false,
          securityContext: { seccompProfile: { type: 'RuntimeDefault' } },
          ...(options.imagePullSecretName === undefined
            ? {}
            : { imagePullSecrets: [{ name: options.imagePullSecretName }] }),
          ...(options.nodeSelector === undefined
            ? {}
            : { nodeSelector: { ...options.nodeSelector } }),
          ...(options.tolerations === undefined
            ? {}
            : { tolerations: options.tolerations.map((toleration) => ({ ...toleration })) }),
          initContainers: [
            {
              name: 'fetch-bundle',
              image: options.fetcherImage ?? DEFAULT_FETCHER_IMAGE,
              args: [
                '--fail',
                '--silent',
                '--show-error',
                '--retry',
                '3',
                '--max-time',
                '600',
                '--header',
                `@${TOKEN_DIR}/${TOKEN_KEY}`,
                '--output',
                BUNDLE_FILE,
                spec.bundle.url,
              ],
              resources: {
                requests: { cpu: '50m', memory: '64Mi' },
                limits: { cpu: '500m', memory: '256Mi' },
              },
              securityContext: restrictedSecurityContext(),

              volumeMounts: [
                { name: 'workspace', mountPath: WORKSPACE },
                { name: 'bundle-token', mountPath: TOKEN_DIR, readOnly: true },
              ],
            },
          ],
          containers: [
            {
              name: BUILD_POD_SECURITY_EXCEPTION.container,
              image: options.executorImage ?? DEFAULT_KANIKO_IMAGE,
              args: kanikoArgs(spec, options),
              env: [{ name: 'DOCKER_CONFIG', value: '/kaniko/.docker' }],
              resources: { requests: quantities(requests), limits: quantities(limits) },
              securityContext: {
                runAsNonRoot: false,
                runAsUser: 0,
                runAsGroup: 0,
                allowPrivilegeEscalation: false,
                privileged: false,
                capabilities: { drop: ['ALL'], add: [...KANIKO_CAPABILITIES] },
              },
              volumeMounts: [
                { name: 'workspace', mountPath: WORKSPACE, readOnly: true },
                { name: 'registry-credentials', mountPath: '/kaniko/.docker', readOnly: true },
              ],
            },
          ],
          volumes: [
            {
              name: 'workspace',
              emptyDir: { sizeLimit: (options.workspaceSize ?? Size.gibibytes(2)).toString() },
            },
            // 0444: the fetcher runs as UID 1000 and the Secret's files are owned by root.
            { name: 'bundle-token', secret: { secretName: name, defaultMode: 0o444 } },
            {
              name: 'registry-credentials',
              secret: {
                secretName: options.registrySecretName,
                items: [{ key: '.dockerconfigjson', path: 'config.json' }],
              },
            },
          ],
        },
      },
    },
  };
  return [secret, job];
}
