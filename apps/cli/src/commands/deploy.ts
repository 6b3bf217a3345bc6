import { type Command } from 'commander';
import { AUTOSCALING_BOUNDS, DEFAULT_IDLE_TIMEOUT_SECONDS } from '@slipway/iac';
import { call, idempotencyKey, type Api, type Schemas } from '../client';
import { UsageError } from '../errors';
import { packSource } from '../bundle';
import {
  checkUploadSize,
  DEFAULT_MAX_UPLOAD_MB,
  deploySettings,
  repeatable,
  type DeploySettingsFlags,
} from '../deploy-settings';
import { deploymentFailure, followDeployment } from '../follow';
import { formatSize, streamBuildLog, uploadSource } from '../upload';
import { formatFields, paintStatus, type Output } from '../output';
import { repoBody, webhookLines, type RepoFlags } from '../repo';
import { autoscalingSummary } from '../scaling';
import {
  connectToService,
  handle,
  integerIn,
  leaf,
  serviceTarget,
  type ServiceTarget,
} from './common';

interface FollowOptions extends ServiceTarget {
  wait: boolean;
}

interface DeployOptions extends FollowOptions, DeploySettingsFlags, RepoFlags {
  image?: string;
  source?: string;
  dockerFile: string;
  dockerContext: string;
  maxUploadMb: number;
}

interface RollbackOptions extends FollowOptions {
  to: string;
}

function deploymentFields(deployment: Schemas['DeploymentView'], color: boolean): string {
  return formatFields([
    ['deployment', deployment.id],
    ['status', paintStatus(deployment.status, color)],
    ['image', deployment.image],
    ['repo', deployment.repo && `${deployment.repo.url} (${deployment.repo.branch})`],
    [
      'commit',
      deployment.repo?.commit_sha &&
        `${deployment.repo.commit_sha.slice(0, 7)} ${deployment.repo.commit_message ?? ''}`.trim(),
    ],
    ['replicas', deployment.replicas],
    ['autoscaling', autoscalingSummary(deployment.autoscaling)],
    ['reason', deployment.failure_reason],
  ]);
}

/**
 * Prints the deployment, following it first unless `--no-wait` (the build log streams to
 * stderr while it builds); fails unless it succeeded.
 */
async function report(
  api: Api,
  output: Output,
  options: FollowOptions,
  started: Schemas['DeploymentView'],
): Promise<void> {
  if (started.webhook) output.progress(webhookLines(started.webhook));
  if (options.wait && started.status === 'building') await streamBuildLog(api, output, started);
  const followed = options.wait ? await followDeployment(api, output, started) : started;
  // The webhook secret is in this answer only: keep it in what --json prints.
  const deployment = started.webhook ? { ...followed, webhook: started.webhook } : followed;
  output.result(deployment, () => deploymentFields(deployment, output.color));
  if (options.wait && deployment.status !== 'succeeded') throw deploymentFailure(deployment);
}

const FOLLOW_HELP =
  'Unless --no-wait, follows the deployment (status changes on stderr) and exits 0 only when it succeeded.';

export function registerDeploy(service: Command): void {
  const deploy = serviceTarget(
    leaf(
      service,
      'deploy',
      'Deploy an image, a git repository, or a directory with a Dockerfile',
      'slipway service deploy --id SERVICE_ID --source . --env LOG_LEVEL info --env-secret API_KEY s3cret\n  slipway service deploy --id SERVICE_ID --image nginx:1.27 --resource-profile RESOURCE_PROFILE_ID\n  slipway service deploy --name my-api --image IMAGE --command sh --args -c --args "exec ./serve"\n  slipway service deploy --name my-api --image IMAGE --min-replicas 1 --max-replicas 4 --target-cpu-utilization 70\n  slipway service deploy --name my-api --image IMAGE --min-replicas 0 --max-replicas 4 --target-concurrency 20 --idle-timeout 600',
      `${FOLLOW_HELP} A source directory is packed as docker build would send it (.dockerignore honoured), uploaded, built, and the build log is shown. Without --resource-profile, the one chosen with \`slipway resource-profile set\` is used.`,
    ),
  )
    .option('--image <ref>', "the image reference to run (it must listen on the service's port)")
    .option('--repo <url>', 'an http(s) git repository to build from (pushes to --branch redeploy)')
    .option('--branch <name>', 'with --repo: the branch to build (default: main)')
    .option(
      '--repo-token-env <VAR>',
      'with --repo: the environment variable holding a token that can read a private repository',
    )
    .option('--repo-username <name>', 'with --repo-token-env: the user name sent with the token')
    .option('--source <dir>', 'a directory with a Dockerfile to build and deploy')
    .option(
      '--docker-file <path>',
      'the Dockerfile, relative to --source or the repository root',
      'Dockerfile',
    )
    .option(
      '--docker-context <path>',
      'the build context, relative to --source or the repository root',
      '.',
    )
    .option('--env <name value...>', 'an environment variable (repeatable): --env NAME VALUE')
    .option('--env-secret <name value...>', 'a secret variable, stored encrypted (repeatable)')
    .option('--resource-profile <id>', 'size the instances by a resource profile')
    .option(
      '--command <c>',
      "overrides the image's ENTRYPOINT (repeatable: one word each)",
      repeatable,
    )
    .option('--args <a>', "overrides the image's CMD (repeatable: one argument each)", repeatable)
    .option('--cpu-requests <cpu>', 'CPU reserved per instance: 500m, 1, 1.5')
    .option('--memory-requests <memory>', 'memory reserved per instance: 512Mi, 2Gi')
    .option('--cpu-limits <cpu>', 'CPU cap per instance')
    .option('--memory-limits <memory>', 'memory cap per instance')
    .option('--replicas <n>', 'a fixed number of instances', integerIn(1, 100))
    .option(
      '--min-replicas <n>',
      'autoscaling: fewest instances (0: sleeps when idle, the next request wakes it)',
      integerIn(0, 100),
    )
    .option('--max-replicas <n>', 'autoscaling: most instances', integerIn(1, 100))
    .option(
      '--target-cpu-utilization <percent>',
      'autoscaling: average CPU utilization to aim for',
      integerIn(1, 100),
    )
    .option(
      '--target-concurrency <n>',
      'autoscaling: in-flight requests per instance to scale to (docker runtime)',
      integerIn(AUTOSCALING_BOUNDS.targetConcurrency.min, AUTOSCALING_BOUNDS.targetConcurrency.max),
    )
    .option(
      '--idle-timeout <seconds>',
      `with --min-replicas 0: seconds without a request before the service sleeps (default ${DEFAULT_IDLE_TIMEOUT_SECONDS})`,
      integerIn(
        AUTOSCALING_BOUNDS.idleTimeoutSeconds.min,
        AUTOSCALING_BOUNDS.idleTimeoutSeconds.max,
      ),
    )
    .option('--health-check-path <path>', 'HTTP path that answers 2xx when an instance is ready')
    .option(
      '--port <port>',
      "the port the container listens on (default: the service's, 8080)",
      integerIn(1, 65535),
    )
    .option(
      '--stop-grace-period <seconds>',
      'seconds an instance gets between SIGTERM and SIGKILL when it stops',
      integerIn(1, 300),
    )
    .option(
      '--volume <name:path:size>',
      'persistent storage, its own disk per instance, kept across deploys and scaling (repeatable): data:/var/lib/data:10Gi',
      repeatable,
    )
    .option(
      '--max-upload-mb <mb>',
      'refuse a packed source larger than this',
      integerIn(1, 100_000),
      DEFAULT_MAX_UPLOAD_MB,
    )
    .option('--no-wait', 'return once the deployment is accepted');
  handle<DeployOptions>(deploy, async (options, output, connect) => {
    const sources = [options.image, options.source, options.repo].filter((s) => s !== undefined);
    if (sources.length !== 1) {
      throw new UsageError('give exactly one of --image, --source and --repo');
    }
    // Flag mistakes are reported before connecting or packing.
    deploySettings(options);
    const repo = repoBody(options, { file: options.dockerFile, context: options.dockerContext });
    const { api, id } = await connectToService(options, connect);
    const settings = deploySettings(options, api.settings.resourceProfileId);
    const header = idempotencyKey();
    let started: Schemas['DeploymentView'];
    if (options.source !== undefined) {
      const packed = await packSource({
        dir: options.source,
        dockerFile: options.dockerFile,
        dockerContext: options.dockerContext,
      });
      try {
        output.progress(`packed ${options.source} (${formatSize(packed.sizeBytes)})`);
        checkUploadSize(packed.sizeBytes, options.maxUploadMb);
        started = await uploadSource(api, output, id, header, packed, {
          ...settings,
          docker: { file: options.dockerFile, context: options.dockerContext },
        });
      } finally {
        await packed.dispose();
      }
    } else {
      ({ data: started } = await call(
        api,
        api.client.POST('/v1/services/{id}/deploy', {
          params: { path: { id }, header },
          body: repo ? { repo, ...settings } : { image: options.image ?? '', ...settings },
        }),
      ));
    }
    await report(api, output, options, started);
  });

  const redeploy = serviceTarget(
    leaf(
      service,
      'redeploy',
      'Deploy the current image and settings again',
      'slipway service redeploy --id SERVICE_ID',
      FOLLOW_HELP,
    ),
  ).option('--no-wait', 'return once the deployment is accepted');
  handle<FollowOptions>(redeploy, async (options, output, connect) => {
    const { api, id } = await connectToService(options, connect);
    const { data: started } = await call(
      api,
      api.client.POST('/v1/services/{id}/redeploy', {
        params: { path: { id }, header: idempotencyKey() },
      }),
    );
    await report(api, output, options, started);
  });

  const rollback = serviceTarget(
    leaf(
      service,
      'rollback',
      'Restore an earlier deployment: its image and its whole configuration',
      'slipway service rollback --id SERVICE_ID --to DEPLOYMENT_ID',
      FOLLOW_HELP,
    ),
  )
    .requiredOption('--to <deployment-id>', 'the deployment to restore')
    .option('--no-wait', 'return once the deployment is accepted');
  handle<RollbackOptions>(rollback, async (options, output, connect) => {
    const { api, id } = await connectToService(options, connect);
    const { data: started } = await call(
      api,
      api.client.POST('/v1/services/{id}/rollback', {
        params: { path: { id }, header: idempotencyKey() },
        body: { deployment_id: options.to },
      }),
    );
    await report(api, output, options, started);
  });
}
