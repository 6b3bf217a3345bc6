/**
 * `service volumes`, `service backup` and `service restore`: a stateful service's volumes,
 * and backups and restores of one instance's volume, followed to their end.
 */
import { type Command } from 'commander';
import { call, sleep, type Api, type Schemas } from '../client';
import { CliError } from '../errors';
import { formatFields, formatTable, paintStatus, type Output } from '../output';
import { formatSize } from '../upload';
import {
  connectToService,
  handle,
  integerIn,
  leaf,
  serviceTarget,
  type ServiceTarget,
} from './common';

type Transfer = Schemas['VolumeTransferView'];

interface VolumeTarget extends ServiceTarget {
  volume: string;
  ordinal: number;
  wait: boolean;
}

const POLL_MS = 500;

/** Polls a backup or restore until it ends, showing the bytes moved; exits 1 if it failed. */
async function followTransfer(api: Api, output: Output, started: Transfer): Promise<Transfer> {
  let shown = '';
  for (;;) {
    const { data: transfer } = await call(
      api,
      api.client.GET('/v1/services/{id}/volume-transfers/{transfer_id}', {
        params: { path: { id: started.service_id, transfer_id: started.id } },
      }),
    );
    const line = `${transfer.kind} ${transfer.id}: ${transfer.status}, ${formatSize(transfer.progress_bytes)}`;
    if (line !== shown) output.progress((shown = line));
    if (transfer.status === 'failed')
      throw new CliError(
        `${transfer.kind} ${transfer.id} failed: ${transfer.failure_reason ?? 'no reason given'}`,
      );
    if (transfer.status === 'succeeded') return transfer;
    await sleep(POLL_MS);
  }
}

function transferFields(transfer: Transfer, color: boolean): string {
  return formatFields([
    ['id', transfer.id],
    ['kind', transfer.kind],
    ['volume', `${transfer.volume} of instance ${transfer.ordinal}`],
    ['status', paintStatus(transfer.status, color)],
    ['size', transfer.size_bytes === null ? null : formatSize(transfer.size_bytes)],
    ['sha256', transfer.sha256],
    ['backup', transfer.source_backup_id],
  ]);
}

function volumeTarget(command: Command): Command {
  return serviceTarget(command)
    .requiredOption('--volume <name>', 'the volume, as `slipway service volumes` lists it')
    .option('--ordinal <n>', 'the instance whose volume it is', integerIn(0, 999), 0)
    .option('--no-wait', 'return once it is accepted');
}

export function registerVolumes(service: Command): void {
  const volumes = serviceTarget(
    leaf(
      service,
      'volumes',
      "List a stateful service's volumes: one per volume and instance, with what each holds",
      'slipway service volumes --id SERVICE_ID',
      'Instance N always mounts ordinal N; a scale-down keeps the removed ones for the way back up.',
    ),
  );
  handle<ServiceTarget>(volumes, async (options, output, connect) => {
    const { api, id } = await connectToService(options, connect);
    const { data: listed } = await call(
      api,
      api.client.GET('/v1/services/{id}/volumes', { params: { path: { id } } }),
    );
    output.result(listed, () =>
      formatTable(
        ['volume', 'ordinal', 'size', 'used', 'attached', 'name'],
        listed.map((v) => [
          v.name,
          v.ordinal,
          v.size,
          v.used_bytes === null ? null : formatSize(v.used_bytes),
          v.attached ? 'yes' : 'no',
          v.runtime_name,
        ]),
      ),
    );
  });

  const backup = volumeTarget(
    leaf(
      service,
      'backup',
      "Back up one instance's volume to the blob store (a gzipped tar with its SHA-256)",
      'slipway service backup --id SERVICE_ID --volume data --ordinal 0',
    ),
  );
  handle<VolumeTarget>(backup, async (options, output, connect) => {
    const { api, id } = await connectToService(options, connect);
    const path = { id, name: options.volume, ordinal: String(options.ordinal) };
    const { data: started } = await call(
      api,
      api.client.POST('/v1/services/{id}/volumes/{name}/{ordinal}/backups', {
        params: { path },
      }),
    );
    const transfer = options.wait ? await followTransfer(api, output, started) : started;
    output.result(transfer, () => transferFields(transfer, output.color));
  });

  const restore = volumeTarget(
    leaf(
      service,
      'restore',
      "Restore a backup into a stopped instance's volume (pause or scale below it first)",
      'slipway service restore --id SERVICE_ID --volume data --ordinal 0 --backup BACKUP_ID',
    ),
  ).requiredOption('--backup <id>', 'a finished backup of this service or another of yours');
  handle<VolumeTarget & { backup: string }>(restore, async (options, output, connect) => {
    const { api, id } = await connectToService(options, connect);
    const path = { id, name: options.volume, ordinal: String(options.ordinal) };
    const { data: started } = await call(
      api,
      api.client.POST('/v1/services/{id}/volumes/{name}/{ordinal}/restores', {
        params: { path },
        body: { backup_id: options.backup },
      }),
    );
    const transfer = options.wait ? await followTransfer(api, output, started) : started;
    output.result(transfer, () => transferFields(transfer, output.color));
  });
}
