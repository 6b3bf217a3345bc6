/**
 * Every environment variable the builder reads, where it lands in the config, and whether
 * it is sensitive (sensitive values are redacted whenever the config is logged).
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EnvVarDefinition } from '@slipway/app-config';
import { DEFAULT_BUILD_NAMESPACE, DEFAULT_KANIKO_IMAGE } from '@slipway/k8s-spec';
import { DEFAULT_BUNDLE_LIMITS } from '@slipway/source-bundle';

export type { EnvVarDefinition };

export const DEFAULT_WORK_DIR = join(tmpdir(), 'slipway-builds');

export const ENV_VARS: readonly EnvVarDefinition[] = [
  {
    name: 'REDIS_URL',
    path: 'redis.url',
    kind: 'string',
    description: 'Redis connection URL (queues and build-log streams)',
    defaultValue: 'redis://127.0.0.1:6379',
    sensitive: true,
  },
  {
    name: 'SLIPWAY_QUEUE_PREFIX',
    path: 'queue.prefix',
    kind: 'string',
    description: 'BullMQ key prefix; must match the API',
    defaultValue: 'bull',
    sensitive: false,
  },
  {
    name: 'SLIPWAY_BUILDER_CONCURRENCY',
    path: 'queue.concurrency',
    kind: 'integer',
    description: 'Builds this worker runs at once',
    defaultValue: '2',
    sensitive: false,
  },
  {
    name: 'SLIPWAY_BUILD_DRIVER',
    path: 'build.driver',
    kind: 'string',
    description: '`docker` (the Engine build API) or `kaniko` (a Kubernetes Job)',
    defaultValue: 'docker',
    sensitive: false,
  },
  {
    name: 'SLIPWAY_BUILD_TIMEOUT_SECONDS',
    path: 'build.timeoutSeconds',
    kind: 'integer',
    description: 'A build running longer is stopped and fails',
    defaultValue: '1800',
    sensitive: false,
  },
  {
    name: 'SLIPWAY_BUILDER_WORK_DIR',
    path: 'build.workDir',
    kind: 'string',
    description: 'Where bundles are downloaded and extracted (one directory per build)',
    defaultValue: DEFAULT_WORK_DIR,
    sensitive: false,
  },
  {
    name: 'SLIPWAY_BUILDER_SHUTDOWN_GRACE_SECONDS',
    path: 'build.shutdownGraceSeconds',
    kind: 'integer',
    description:
      'On SIGTERM, how long running builds may finish before they are stopped and handed back to the queue',
    defaultValue: '20',
    sensitive: false,
  },
  {
    name: 'SLIPWAY_BUILDER_GIT_TIMEOUT_SECONDS',
    path: 'build.gitTimeoutSeconds',
    kind: 'integer',
    description:
      'How long cloning a git repository may take (1-3600); its checkout is held to the bundle size limits',
    defaultValue: '120',
    sensitive: false,
  },
  {
    name: 'SLIPWAY_BUNDLE_MAX_BYTES',
    path: 'bundle.maxArchiveBytes',
    kind: 'integer',
    description: 'Largest source bundle (compressed) the builder accepts',
    defaultValue: String(DEFAULT_BUNDLE_LIMITS.maxArchiveBytes),
    sensitive: false,
  },
  {
    name: 'SLIPWAY_BUNDLE_MAX_EXTRACTED_BYTES',
    path: 'bundle.maxExtractedBytes',
    kind: 'integer',
    description: 'Largest total size of a bundle once extracted',
    defaultValue: String(DEFAULT_BUNDLE_LIMITS.maxExtractedBytes),
    sensitive: false,
  },
  {
    name: 'SLIPWAY_BUNDLE_MAX_FILES',
    path: 'bundle.maxFiles',
    kind: 'integer',
    description: 'Most entries (files and directories) in a bundle',
    defaultValue: String(DEFAULT_BUNDLE_LIMITS.maxFiles),
    sensitive: false,
  },
  {
    name: 'DOCKER_HOST',
    path: 'docker.host',
    kind: 'string',
    description:
      'Docker Engine address (`unix:///path` or `tcp://host:port`) for the docker driver',
    defaultValue: '(the default socket, /var/run/docker.sock)',
    sensitive: false,
  },
  {
    name: 'SLIPWAY_REGISTRY_USERNAME',
    path: 'registry.username',
    kind: 'string',
    description: 'User for pushing built images (set with the password, or neither)',
    defaultValue: '(none: push without credentials)',
    sensitive: true,
  },
  {
    name: 'SLIPWAY_REGISTRY_PASSWORD',
    path: 'registry.password',
    kind: 'string',
    description: 'Password or token for pushing built images',
    defaultValue: '(none)',
    sensitive: true,
  },
  {
    name: 'SLIPWAY_KANIKO_NAMESPACE',
    path: 'kaniko.namespace',
    kind: 'string',
    description: 'Namespace the Kaniko build Jobs run in',
    defaultValue: DEFAULT_BUILD_NAMESPACE,
    sensitive: false,
  },
  {
    name: 'SLIPWAY_KANIKO_EXECUTOR_IMAGE',
    path: 'kaniko.executorImage',
    kind: 'string',
    description: 'Kaniko executor image (pin a digest in production)',
    defaultValue: DEFAULT_KANIKO_IMAGE,
    sensitive: false,
  },
  {
    name: 'SLIPWAY_KANIKO_REGISTRY_SECRET',
    path: 'kaniko.registrySecretName',
    kind: 'string',
    description:
      'dockerconfigjson Secret in the build namespace for pushes and pulls; required with the kaniko driver',
    defaultValue: '(none)',
    sensitive: false,
  },
  {
    name: 'SLIPWAY_KANIKO_INSECURE_REGISTRIES',
    path: 'kaniko.insecureRegistries',
    kind: 'list',
    description: 'Comma-separated registries Kaniko reaches over plain HTTP',
    defaultValue: '(none)',
    sensitive: false,
  },
  {
    name: 'KUBECONFIG',
    path: 'kaniko.kubeconfig',
    kind: 'string',
    description: 'kubeconfig file for the kaniko driver (in-cluster config when unset)',
    defaultValue: '(in-cluster, or ~/.kube/config)',
    sensitive: false,
  },
  {
    name: 'LOG_LEVEL',
    path: 'log.level',
    kind: 'string',
    description: 'Log level: `fatal`, `error`, `warn`, `info`, `debug`, `trace` or `silent`',
    defaultValue: 'info',
    sensitive: false,
  },
];
