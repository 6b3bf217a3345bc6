import { type Command } from 'commander';
import { call, idempotencyKey, type Api, type Schemas } from '../client';
import { UsageError } from '../errors';
import { packSource } from '../bundle';
import { deploymentFailure, followDeployment } from '../follow';
import { formatSize, streamBuildLog, uploadSource } from '../upload';
import { formatFields, paintStatus, type Output } from '../output';
import { handle, integerIn, leaf, type JsonOption } from './common';

interface FollowOptions extends JsonOption {
  id: string;
  wait: boolean;
}

interface DeployOptions extends FollowOptions {
  image?: string;
  source?: string;
  dockerFile: string;
  dockerContext: string;
  env?: string[];
  envSecret?: string[];
  replicas?: number;
  healthCheckPath?: string;
}

interface RollbackOptions extends FollowOptions {
  to: string;
}

type EnvVar = Schemas['EnvVarDto'];

/** `--env A 1 --env B 2` arrives as [A, 1, B, 2]: pair them up. */
export function envPairs(flag: string, values: readonly string[], secret: boolean): EnvVar[] {
  if (values.length % 2 !== 0) {
    throw new UsageError(`${flag} takes two values, NAME and VALUE (got "${values.join(' ')}")`);
  }
  const pairs: EnvVar[] = [];
  for (let i = 0; i < values.length; i += 2) {
    pairs.push({ name: values[i] ?? '', value: values[i + 1] ?? '', secret });
  }
  return pairs;
}

function deploymentFields(deployment: Schemas['DeploymentView'], color: boolean): string {
  return formatFields([
    ['deployment', deployment.id],
    ['status', paintStatus(deployment.status, color)],
    ['image', deployment.image],
    ['replicas', deployment.replicas],
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
  if (options.wait && started.status === 'building') await streamBuildLog(api, output, started);
  const deployment = options.wait ? await followDeployment(api, output, started) : started;
  output.result(deployment, () => deploymentFields(deployment, output.color));
  if (options.wait && deployment.status !== 'succeeded') throw deploymentFailure(deployment);
}

const FOLLOW_HELP =
  'Unless --no-wait, follows the deployment (status changes on stderr) and exits 0 only when it succeeded.';

export function registerDeploy(service: Command): void {
  const deploy = leaf(
    service,
    'deploy',
    'Deploy an image, or build a directory with a Dockerfile and deploy it',
    'slipway service deploy --id SERVICE_ID --source . --env LOG_LEVEL info --env-secret API_KEY s3cret\n  slipway service deploy --id SERVICE_ID --image nginx:1.27 --replicas 2',
    `${FOLLOW_HELP} A source directory is packed as docker build would send it (.dockerignore honoured), uploaded, built, and the build log is shown.`,
  )
    .requiredOption('--id <id>', 'the service id')
    .option('--image <ref>', 'the image reference to run (it must listen on 8080)')
    .option('--source <dir>', 'a directory with a Dockerfile to build and deploy')
    .option('--docker-file <path>', 'the Dockerfile, relative to --source', 'Dockerfile')
    .option('--docker-context <path>', 'the build context, relative to --source', '.')
    .option('--env <name value...>', 'an environment variable (repeatable): --env NAME VALUE')
    .option('--env-secret <name value...>', 'a secret variable, stored encrypted (repeatable)')
    .option('--replicas <n>', 'number of instances', integerIn(1, 100))
    .option('--health-check-path <path>', 'HTTP path that answers 2xx when an instance is ready')
    .option('--no-wait', 'return once the deployment is accepted');
  handle<DeployOptions>(deploy, async (options, output, connect) => {
    if ((options.image === undefined) === (options.source === undefined)) {
      throw new UsageError('give exactly one of --image and --source');
    }
    const env = [
      ...envPairs('--env', options.env ?? [], false),
      ...envPairs('--env-secret', options.envSecret ?? [], true),
    ];
    const settings = {
      ...(env.length > 0 && { env }),
      ...(options.replicas !== undefined && { replicas: options.replicas }),
      ...(options.healthCheckPath !== undefined && {
        health_check_path: options.healthCheckPath,
      }),
    };
    const api = await connect();
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
        started = await uploadSource(api, output, options.id, header, packed, {
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
          params: { path: { id: options.id }, header },
          body: { image: options.image ?? '', ...settings },
        }),
      ));
    }
    await report(api, output, options, started);
  });

  const redeploy = leaf(
    service,
    'redeploy',
    'Deploy the current image and settings again',
    'slipway service redeploy --id SERVICE_ID',
    FOLLOW_HELP,
  )
    .requiredOption('--id <id>', 'the service id')
    .option('--no-wait', 'return once the deployment is accepted');
  handle<FollowOptions>(redeploy, async (options, output, connect) => {
    const api = await connect();
    const { data: started } = await call(
      api,
      api.client.POST('/v1/services/{id}/redeploy', {
        params: { path: { id: options.id }, header: idempotencyKey() },
      }),
    );
    await report(api, output, options, started);
  });

  const rollback = leaf(
    service,
    'rollback',
    'Restore an earlier deployment: its image and its whole configuration',
    'slipway service rollback --id SERVICE_ID --to DEPLOYMENT_ID',
    FOLLOW_HELP,
  )
    .requiredOption('--id <id>', 'the service id')
    .requiredOption('--to <deployment-id>', 'the deployment to restore')
    .option('--no-wait', 'return once the deployment is accepted');
  handle<RollbackOptions>(rollback, async (options, output, connect) => {
    const api = await connect();
    const { data: started } = await call(
      api,
      api.client.POST('/v1/services/{id}/rollback', {
        params: { path: { id: options.id }, header: idempotencyKey() },
        body: { deployment_id: options.to },
      }),
    );
    await report(api, output, options, started);
  });
}
