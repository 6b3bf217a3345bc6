/** A valid service spec and platform for the contract tests (shapes from @slipway/k8s-spec's fixtures). */
import { serviceNames, type PlatformOptions, type ServiceSpec } from '@slipway/k8s-spec';
import { objectPath } from '@slipway/kube-client/testing';
import type { ServiceRef } from '../../runtime-driver';
import type { Script } from './deployment-controller';

export const SECRET_VALUE = 'sk-live-contract-test-secret-4242';

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

export const spec: ServiceSpec = {
  org: { id: 'org-0001', name: 'acme' },
  project: { id: 'prj-0001', name: 'default' },
  service: { id: 'svc-0001', name: 'web' },
  deploymentId: 'dep-0002',
  image: 'registry.slipway.local:5000/acme/default/web:dep-0002',
  serviceToken: 'slp_st_contract-test-token-0123',
  env: [
    { name: 'LOG_LEVEL', value: 'info' },
    { name: 'OPENAI_API_KEY', value: SECRET_VALUE, secret: true },
  ],
  healthCheckPath: '/healthz',
};

export const ref: ServiceRef = { org: spec.org, project: spec.project, service: spec.service };

export const names = serviceNames(spec, platform);
export const deploymentPath = objectPath('apps/v1', 'Deployment', names.namespace, names.base);
/** The Deployment controller's script for the spec's workload; tests add what happens. */
export const script: Script = {
  namespace: names.namespace,
  name: names.base,
  serviceId: spec.service.id,
};
