/** A valid build payload and Job options for the contract tests. */
import type { BuildJobPayload } from '@slipway/contracts';
import type { BuildOptions } from '@slipway/k8s-spec';

export const BUNDLE_TOKEN = 'slp_bt_contract-one-time-token-7781';
export const DIGEST = `sha256:${'4f'.repeat(32)}`;

/** A bundle build (its type keeps `bundle` required, as `renderBuildJob` wants it). */
export const payload = {
  deploymentId: 'dep-0100',
  serviceId: 'svc-0001',
  projectId: 'prj-0001',
  orgId: 'org-0001',
  bundle: {
    url: 'http://slipway-api.slipway-system.svc:3000/internal/builds/dep-0100/bundle',
    token: BUNDLE_TOKEN,
    sha256: 'a'.repeat(64),
    sizeBytes: 2048,
  },
  docker: { file: 'Dockerfile', context: '.' },
  destination: 'registry.slipway.local:5000/acme/default/web:dep-0100',
} satisfies BuildJobPayload;

export const buildOptions: BuildOptions = {
  registrySecretName: 'slipway-registry',
  insecureRegistries: ['registry.slipway.local:5000'],
  activeDeadlineSeconds: 900,
};
