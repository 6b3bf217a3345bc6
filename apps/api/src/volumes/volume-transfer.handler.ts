/**
 * Carries out a backup or a restore under the service's lock. A backup streams the volume's
 * tar through gzip into the blob store, counting and hashing as it goes; a restore checks
 * the archive's SHA-256 first, then writes it into the stopped instance's volume.
 */
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type VolumeTransferJobPayload } from '@slipway/contracts';
import { DataSource } from 'typeorm';
import { BlobStore } from '../blob-store/blob-store';
import { DeploymentsService } from '../deployments/deployments.service';
import { HandlesServiceJob, type ServiceJobHandler } from '../rollouts/service-jobs';
import { acquireServiceLock, releaseServiceLock } from '../rollouts/service-lock';
import {
  RUNTIME_DRIVER,
  VolumeTransferError,
  type RuntimeDriver,
  type ServiceVolume,
} from '../runtime/runtime-driver';
import { Service } from '../services/service.entity';
import { VolumeTransfer } from './volume-transfer.entity';
import { instanceRunning, VolumeTransfersService } from './volume-transfers.service';

/** How often progress is written to the transfer's row. */
const PROGRESS_EVERY_MS = 1000;

/** Counts and hashes what passes through, reporting progress now and then. */
class Meter extends Transform {
  readonly hash = createHash('sha256');
  bytes = 0;
  private reported = Date.now();

  constructor(private readonly onProgress: (bytes: number) => void) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.bytes += chunk.length;
    this.hash.update(chunk);
    if (Date.now() - this.reported >= PROGRESS_EVERY_MS) {
      this.reported = Date.now();
      this.onProgress(this.bytes);
    }
    done(null, chunk);
  }
}

/** A failure to show as the transfer's reason (anything else is retried, then recorded). */
class TransferFailed extends Error {}

@Injectable()
@HandlesServiceJob('volume-transfer')
export class VolumeTransferHandler implements ServiceJobHandler<'volume-transfer'> {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(RUNTIME_DRIVER) private readonly runtime: RuntimeDriver,
    private readonly deployments: DeploymentsService,
    private readonly transfers: VolumeTransfersService,
    private readonly blobs: BlobStore,
  ) {}

  async handle({ transferId, serviceId }: VolumeTransferJobPayload): Promise<void> {
    const running = async (): Promise<boolean> =>
      (await this.load(transferId))?.status === 'running';
    if (!(await running())) return;
    const lock = await acquireServiceLock(this.dataSource, serviceId, running);
    if (!lock) return;
    try {
      const transfer = await this.load(transferId);
      const service = await this.dataSource.getRepository(Service).findOneBy({ id: serviceId });
      if (transfer?.status !== 'running' || !service) return;
      try {
        const fields =
          transfer.kind === 'backup'
            ? await this.backUp(service, transfer)
            : await this.restore(service, transfer);
        await this.end(transfer.id, { status: 'succeeded', ...fields });
      } catch (error) {
        if (!(error instanceof TransferFailed || error instanceof VolumeTransferError)) throw error;
        await this.end(transfer.id, { status: 'failed', failureReason: error.message });
      }
    } finally {
      await releaseServiceLock(lock, serviceId);
    }
  }

  async exhausted({ transferId }: VolumeTransferJobPayload, error: Error): Promise<void> {
    await this.end(transferId, {
      status: 'failed',
      failureReason: `internal error: ${error.message}`,
    });
  }

  private async imageOf(service: Service): Promise<string> {
    const image = (await this.deployments.current(service).catch(() => undefined))?.image;
    if (!image)
      throw new TransferFailed(`service ${service.id} has no deployed image to read volumes with`);
    return image;
  }

  private progress(transferId: string): (bytes: number) => void {
    return (bytes) =>
      void this.dataSource
        .getRepository(VolumeTransfer)
        .update({ id: transferId, status: 'running' }, { progressBytes: String(bytes) })
        .catch(() => undefined);
  }

  private async backUp(
    service: Service,
    transfer: VolumeTransfer,
  ): Promise<Partial<VolumeTransfer>> {
    const volume = await this.volumeFor(service, transfer);
    const archive = await this.runtime.exportVolume(volume, await this.imageOf(service));
    const meter = new Meter(this.progress(transfer.id));
    const temporary = join(this.blobs.incomingDir(), `${transfer.id}.tar.gz`);
    try {
      await pipeline(archive, createGzip(), meter, createWriteStream(temporary));
      await this.blobs.putFile(transfer.blobKey ?? '', temporary);
    } finally {
      await rm(temporary, { force: true });
    }
    const size = String(meter.bytes);
    return { sizeBytes: size, progressBytes: size, sha256: meter.hash.digest('hex') };
  }

  private async restore(
    service: Service,
    transfer: VolumeTransfer,
  ): Promise<Partial<VolumeTransfer>> {
    const volume = await this.volumeFor(service, transfer);
    if (volume.attached) throw new TransferFailed(instanceRunning(volume).message);
    const backup = transfer.sourceBackupId ? await this.load(transfer.sourceBackupId) : null;
    if (!backup?.blobKey || !backup.sha256)
      throw new TransferFailed(`backup ${transfer.sourceBackupId} is gone`);
    // The whole archive is checked before a byte reaches the volume.
    const checked = createHash('sha256');
    for await (const chunk of await this.openBlob(backup.blobKey)) checked.update(chunk as Buffer);
    if (checked.digest('hex') !== backup.sha256)
      throw new TransferFailed(
        `backup ${backup.id} does not match its checksum: it was not restored`,
      );
    const meter = new Meter(this.progress(transfer.id));
    const tar = (await this.openBlob(backup.blobKey)).pipe(meter).pipe(createGunzip());
    await this.runtime.importVolume(volume, await this.imageOf(service), tar);
    return {
      progressBytes: String(meter.bytes),
      sizeBytes: backup.sizeBytes,
      sha256: backup.sha256,
    };
  }

  /** The transfer's volume as the runtime has it now (gone: the transfer fails, saying so). */
  private volumeFor(service: Service, transfer: VolumeTransfer): Promise<ServiceVolume> {
    const at = { name: transfer.volumeName, ordinal: transfer.ordinal };
    return this.transfers.volumeOf(service, at).catch((error: Error) => {
      throw new TransferFailed(error.message);
    });
  }

  private async openBlob(key: string): Promise<NodeJS.ReadableStream> {
    const blob = await this.blobs.open(key);
    if (!blob) throw new TransferFailed(`the archive ${key} is missing from the blob store`);
    return blob.stream;
  }

  private async end(transferId: string, fields: Partial<VolumeTransfer>): Promise<void> {
    await this.dataSource
      .getRepository(VolumeTransfer)
      .update({ id: transferId, status: 'running' }, { ...fields, endedAt: new Date() });
  }

  private load(transferId: string): Promise<VolumeTransfer | null> {
    return this.dataSource.getRepository(VolumeTransfer).findOneBy({ id: transferId });
  }
}
