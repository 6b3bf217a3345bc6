import { type BuildJobPayload } from '@slipway/contracts';
import { type Deployment } from './deployment.entity';

/**
 * What the builder is asked to build for `deployment`: its uploaded bundle, or its git
 * repository's branch head. The build token opens the bundle or the repository's token at
 * the API's internal endpoints; it is the only credential the job carries.
 */
export function buildPayloadOf(
  deployment: Deployment,
  destination: string,
  buildToken: string,
  internalUrl: string,
): BuildJobPayload | undefined {
  const base = internalUrl.replace(/\/$/, '');
  const ids = {
    deploymentId: deployment.id,
    serviceId: deployment.serviceId,
    projectId: deployment.projectId,
    orgId: deployment.orgId,
  };
  if (deployment.source) {
    return {
      ...ids,
      bundle: {
        url: `${base}/internal/v1/bundles/${deployment.id}`,
        token: buildToken,
        sha256: deployment.source.sha256,
        sizeBytes: deployment.source.sizeBytes,
      },
      docker: { file: deployment.source.dockerFile, context: deployment.source.dockerContext },
      destination,
    };
  }
  if (deployment.repo) {
    const repo = deployment.repo;
    return {
      ...ids,
      git: {
        url: repo.url,
        branch: repo.branch,
        ...(repo.private && {
          credentials: {
            url: `${base}/internal/v1/git-credentials/${deployment.id}`,
            token: buildToken,
          },
        }),
      },
      docker: { file: repo.dockerFile, context: repo.dockerContext },
      destination,
    };
  }
  return undefined;
}
