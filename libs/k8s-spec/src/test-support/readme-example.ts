/** The example in README.md; readme.spec.ts keeps the README's YAML equal to its render. */
import { type PlatformOptions, type ServiceSpec, Cpu, Size } from '../index';

export const spec: ServiceSpec = {
  org: { id: 'org-7f3a', name: 'acme' },
  project: { id: 'prj-19c2', name: 'default' },
  service: { id: 'svc-42d1', name: 'agent' },
  deploymentId: 'dep-0007',
  image: 'registry.slipway.local:5000/acme/default/agent:dep-0007',
  imageDigest: 'sha256:4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945',
  serviceToken: 'slp_st_example-token-not-real',
  env: [
    { name: 'LOG_LEVEL', value: 'info' },
    { name: 'OPENAI_API_KEY', value: 'sk-example', secret: true },
  ],
  resources: { requests: { cpu: Cpu.millis(500), memory: Size.mebibytes(512) } },
  autoscaling: { minReplicas: 1, maxReplicas: 5, targetCpuUtilization: 70 },
  healthCheckPath: '/healthz',
};

export const platform: PlatformOptions = {
  collector: {
    endpoint: 'http://slipway-collector.slipway-system.svc:4318',
    namespace: 'slipway-system',
    podLabels: { 'app.kubernetes.io/name': 'slipway-collector' },
  },
  edge: {
    namespace: 'slipway-system',
    podLabels: { 'app.kubernetes.io/name': 'slipway-edge' },
    serviceName: 'slipway-edge',
  },
};
