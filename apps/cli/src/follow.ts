import { call, sleep, type Api, type Schemas } from './client';
import { CliError } from './errors';
import { paintStatus, type Output } from './output';

export const POLL_INTERVAL_MS = 500;

const IN_PROGRESS: ReadonlySet<string> = new Set(['building', 'deploying']);

/**
 * Polls a deployment until it ends, printing each status change on stderr. Resolves with a
 * succeeded deployment; any other end is a failure carrying the API's reason.
 */
export async function followDeployment(
  api: Api,
  output: Output,
  deployment: Schemas['DeploymentView'],
): Promise<Schemas['DeploymentView']> {
  let current = deployment;
  let shown = '';
  for (;;) {
    if (current.status !== shown) {
      shown = current.status;
      output.progress(`deployment ${current.id}: ${paintStatus(shown, output.errorColor)}`);
    }
    if (!IN_PROGRESS.has(current.status)) break;
    await sleep(POLL_INTERVAL_MS);
    const answer = await call(
      api,
      api.client.GET('/v1/services/{id}/deployments/{deployment_id}', {
        params: { path: { id: current.service_id, deployment_id: current.id } },
      }),
    );
    current = answer.data;
  }
  return current;
}

export function deploymentFailure(deployment: Schemas['DeploymentView']): CliError {
  return new CliError(
    `deployment ${deployment.id} ended ${deployment.status}: ${deployment.failure_reason ?? 'no reason given'}`,
  );
}

/** Polls the service's status until the operation has ended; prints readiness changes. */
export async function followOperation(
  api: Api,
  output: Output,
  operation: Schemas['ServiceOperationView'],
): Promise<Schemas['ServiceStatusView']> {
  let shown = '';
  for (;;) {
    const { data: status } = await call(
      api,
      api.client.GET('/v1/services/{id}/status', {
        params: { path: { id: operation.service_id } },
      }),
    );
    const line = `${operation.kind} ${operation.id}: ready ${status.ready}/${status.desired}`;
    if (line !== shown) {
      shown = line;
      output.progress(line);
    }
    const ours = status.operation?.id === operation.id ? status.operation : undefined;
    // A newer operation replacing ours means ours is over: its outcome is no longer shown.
    if (status.operation && !ours) return status;
    if (ours && ours.status !== 'running') {
      if (ours.status === 'failed') {
        throw new CliError(
          `${ours.kind} ${ours.id} failed: ${ours.failure_reason ?? 'no reason given'}`,
        );
      }
      return status;
    }
    await sleep(POLL_INTERVAL_MS);
  }
}
