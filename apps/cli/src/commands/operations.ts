import { type Command } from 'commander';
import { call, idempotencyKey, type Api, type Schemas } from '../client';
import { followOperation } from '../follow';
import { formatFields, paintStatus, type Output } from '../output';
import { serviceStatusText } from '../scaling';
import {
  connectToService,
  handle,
  integerIn,
  leaf,
  serviceTarget,
  type ServiceTarget,
} from './common';

interface OperationOptions extends ServiceTarget {
  wait: boolean;
}

interface ScaleOptions extends OperationOptions {
  instances: number;
}

/** Prints the operation as accepted, or (waiting) the service status once it has ended. */
async function report(
  api: Api,
  output: Output,
  options: OperationOptions,
  operation: Schemas['ServiceOperationView'],
): Promise<void> {
  if (!options.wait) {
    output.result(operation, () =>
      formatFields([
        ['operation', operation.id],
        ['kind', operation.kind],
        ['status', paintStatus(operation.status, output.color)],
        ['follow', `slipway service status --id ${operation.service_id}`],
      ]),
    );
    return;
  }
  const status = await followOperation(api, output, operation);
  output.result(status, () =>
    formatFields([
      ['operation', `${operation.kind} ${operation.id}`],
      ['status', serviceStatusText(status.status, output.color)],
      ['instances', `${status.ready} ready of ${status.desired}`],
    ]),
  );
}

const WAIT_HELP =
  'Waits until it has ended (progress on stderr) unless --no-wait; exits 1 if it failed.';

export function registerOperations(service: Command): void {
  const scale = serviceTarget(
    leaf(
      service,
      'scale',
      'Set the number of instances (0 pauses the service)',
      'slipway service scale --id SERVICE_ID --instances 3',
      WAIT_HELP,
    ),
  )
    .requiredOption('--instances <n>', 'how many instances to run', integerIn(0, 100))
    .option('--no-wait', 'return once the change is accepted');
  handle<ScaleOptions>(scale, async (options, output, connect) => {
    const { api, id } = await connectToService(options, connect);
    const { data: operation } = await call(
      api,
      api.client.POST('/v1/services/{id}/scale', {
        params: { path: { id }, header: idempotencyKey() },
        body: { instances: options.instances },
      }),
    );
    await report(api, output, options, operation);
  });

  const restart = serviceTarget(
    leaf(
      service,
      'restart',
      'Rolling restart: every instance replaced, each replacement ready before the instance it replaces leaves',
      'slipway service restart --id SERVICE_ID',
      WAIT_HELP,
    ),
  ).option('--no-wait', 'return once the restart is accepted');
  handle<OperationOptions>(restart, async (options, output, connect) => {
    const { api, id } = await connectToService(options, connect);
    const { data: operation } = await call(
      api,
      api.client.POST('/v1/services/{id}/restart', {
        params: { path: { id }, header: idempotencyKey() },
      }),
    );
    await report(api, output, options, operation);
  });
}
