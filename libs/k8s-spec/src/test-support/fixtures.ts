/** Test fixtures: platform options and the table of representative specs. */
import type { BuildOptions, BuildSpec } from '../build-job';
import type { PlatformOptions } from '../platform';
import { Cpu, Size } from '../quantities';
import type { ServiceSpec } from '../service-spec';

export const platform: PlatformOptions = {
  collector: {
    endpoint: 'http://collector.slipway-system.svc.cluster.local:4318',
    namespace: 'slipway-system',
    podLabels: { 'app.kubernetes.io/name': 'slipway-collector' },
  },
  edge: {
    namespace: 'slipway-system',
    podLabels: { 'app.kubernetes.io/name': 'slipway-edge' },
    serviceName: 'slipway-edge',
  },
  ingress: { className: 'nginx', tlsClusterIssuer: 'letsencrypt' },
  gpuNodePools: {
    L4: {
      nodeSelector: { 'cloud.google.com/gke-accelerator': 'nvidia-l4' },
      tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }],
    },
    'A100-80GB': {
      nodeSelector: { 'slipway.dev/gpu': 'a100-80gb' },
      tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }],
    },
  },
  imagePullSecret: { name: 'slipway-registry', dockerConfigJson: '{"auths":{}}' },
};

/** The smallest valid spec: one stateless instance of a prebuilt image. */
export const baseSpec: ServiceSpec = {
  org: { id: 'org-0001', name: 'acme' },
  project: { id: 'prj-0001', name: 'default' },
  service: { id: 'svc-0001', name: 'web' },
  deploymentId: 'dep-0001',
  image: 'registry.slipway.local:5000/acme/default/web:dep-0001',
  serviceToken: 'slp_st_0123456789abcdefghij',
};

export const representativeSpecs: Readonly<Record<string, ServiceSpec>> = {
  stateless: {
    ...baseSpec,
    imageDigest: `sha256:${'ab'.repeat(32)}`,
    healthCheckPath: '/healthz',
    replicas: 2,
    env: [{ name: 'LOG_LEVEL', value: 'info' }],
  },
  stateful: {
    ...baseSpec,
    service: { id: 'svc-0002', name: 'postgres-like' },
    volumes: [{ name: 'data', mountPath: '/var/lib/data', size: Size.gibibytes(10) }],
    replicas: 3,
  },
  gpu: {
    ...baseSpec,
    service: { id: 'svc-0003', name: 'llama-3-serving' },
    image: 'ghcr.io/acme/inference-engine:1.4.0',
    gpu: { type: 'L4', count: 1 },
    resources: {
      requests: { cpu: Cpu.cores(4), memory: Size.gibibytes(16) },
      limits: { cpu: Cpu.cores(8), memory: Size.gibibytes(32) },
    },
    autoscaling: { minReplicas: 1, maxReplicas: 4, targetGpuUtilization: 65 },
    healthCheckPath: '/v1/health',
    startupProbe: { failureThreshold: 180, periodSeconds: 10 },
  },
  autoscaled: {
    ...baseSpec,
    service: { id: 'svc-0004', name: 'api' },
    autoscaling: { minReplicas: 2, maxReplicas: 10, targetCpuUtilization: 70 },
    resourceProfileId: 'profile-small',
  },
  scaleToZero: {
    ...baseSpec,
    service: { id: 'svc-0005', name: 'embedding-api' },
    autoscaling: { minReplicas: 0, maxReplicas: 4, targetConcurrency: 20 },
  },
  customDomain: {
    ...baseSpec,
    service: { id: 'svc-0006', name: 'site' },
    customDomains: ['www.example.com', 'api.example.org'],
    accessType: 'public',
  },
  secrets: {
    ...baseSpec,
    service: { id: 'svc-0007', name: 'agent' },
    command: ['uvicorn'],
    args: ['app:app', '--host', '0.0.0.0', '--port', '8080'],
    env: [
      { name: 'PORT', value: '8080' },
      { name: 'OPENAI_API_KEY', value: 'sk-secret-value-1', secret: true },
      { name: 'HF_HOME', value: '/tmp/huggingface' },
      { name: 'DATABASE_PASSWORD', value: 'hunter2-secret-value', secret: true },
    ],
    labels: { team: 'ml', 'example.com/cost-center': 'r-and-d' },
    restartedAt: '2026-03-18T12:00:00Z',
  },
};

/** Every secret value in the fixtures, for "never in the pod spec" checks. */
export const SECRET_VALUES = ['sk-secret-value-1', 'hunter2-secret-value', baseSpec.serviceToken];

export const buildSpec: BuildSpec = {
  deploymentId: 'dep-0100',
  serviceId: 'svc-0001',
  projectId: 'prj-0001',
  orgId: 'org-0001',
  bundle: {
    url: 'http://slipway-api.slipway-system.svc:3000/internal/builds/dep-0100/bundle',
    token: 'slp_bt_one-time-token-0123456789',
  },
  docker: { file: 'docker/Dockerfile', context: 'app' },
  destination: 'registry.slipway.local:5000/acme/default/web:dep-0100',
  cacheRepository: 'registry.slipway.local:5000/acme/default/web/cache',
};

export const buildOptions: BuildOptions = {
  registrySecretName: 'slipway-registry',
  insecureRegistries: ['registry.slipway.local:5000'],
};
