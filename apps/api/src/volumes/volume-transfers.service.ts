/**
 * Backups of one instance's volume to the blob store and restores into a stopped one:
 * checked and recorded here, carried out by the `volume-transfer` job under the service's
 * lock (so they never overlap a rollout, a scale or another transfer of the service).
 */
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ErrorCode } from '@slipway/contracts';
import { DataSource } from 'typeorm';
import { DomainError } from '../common/errors/domain-error';
import { DeployQueue } from '../deployments/deploy-queue';
import { DeploymentsService } from '../deployments/deployments.service';
import { serviceJobOptions } from '../queues/job-options';
import { RUNTIME_DRIVER, type RuntimeDriver, type ServiceVolume } from '../runtime/runtime-driver';
import { type Service } from '../services/service.entity';
import { ServicesService } from '../services/services.service';
import { VolumeTransfer, type VolumeTransferKind } from './volume-transfer.entity';

export interface VolumeAddress {
  readonly name: string;
  readonly ordinal: number;
}

@Injectable()
export class VolumeTransfersService {
  private readonly logger = new Logger(VolumeTransfersService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly services: ServicesService,
    private readonly deployments: DeploymentsService,
    private readonly queue: DeployQueue,
    @Inject(RUNTIME_DRIVER) private readonly runtime: RuntimeDriver,
  ) {}

  /** The volume of the service's instance `ordinal`, or a 404 that says how to find them. */
  async volumeOf(service: Service, at: VolumeAddress): Promise<ServiceVolume> {
    const volumes = await this.runtime.volumes(await this.deployments.refOf(service));
    const volume = volumes.find((v) => v.name === at.name && v.ordinal === at.ordinal);
    if (!volume)
      throw new DomainError(
        ErrorCode.NotFound,
        `Service ${service.id} has no volume ${at.name} for instance ${at.ordinal} (GET /v1/services/${service.id}/volumes lists them)`,
      );
    return volume;
  }

  async backup(userId: string, serviceId: string, at: VolumeAddress): Promise<VolumeTransfer> {
    const service = await this.services.get(userId, serviceId);
    await this.volumeOf(service, at);
    return this.start(userId, service, 'backup', at, null);
  }

  async restore(
    userId: string,
    serviceId: string,
    at: VolumeAddress,
    backupId: string,
  ): Promise<VolumeTransfer> {
    const service = await this.services.get(userId, serviceId);
    const backup = await this.usableBackup(userId, backupId);
    const volume = await this.volumeOf(service, at);
    if (volume.attached) throw instanceRunning(at);
    return this.start(userId, service, 'restore', at, backup.id);
  }

  /** A finished backup the user can see (of this service or another of theirs). */
  private async usableBackup(userId: string, backupId: string): Promise<VolumeTransfer> {
    const backup = await this.dataSource
      .getRepository(VolumeTransfer)
      .findOneBy({ id: backupId, kind: 'backup' });
    if (!backup) throw DomainError.notFound('Backup', backupId);
    await this.services.get(userId, backup.serviceId).catch(() => {
      throw DomainError.notFound('Backup', backupId);
    });
    if (backup.status !== 'succeeded')
      throw new DomainError(
        ErrorCode.Conflict,
        `Backup ${backupId} is ${backup.status}: only a finished backup can be restored`,
      );
    return backup;
  }

  private async start(
    userId: string,
    service: Service,
    kind: VolumeTransferKind,
    at: VolumeAddress,
    sourceBackupId: string | null,
  ): Promise<VolumeTransfer> {
    const repository = this.dataSource.getRepository(VolumeTransfer);
    const transfer = await repository.save(
      repository.create({
        serviceId: service.id,
        kind,
        volumeName: at.name,
        ordinal: at.ordinal,
        status: 'running',
        sourceBackupId,
        startedBy: userId,
      }),
    );
    if (kind === 'backup') {
      transfer.blobKey = `backups/${service.id}/${transfer.id}.tar.gz`;
      await repository.update({ id: transfer.id }, { blobKey: transfer.blobKey });
    }
    try {
      await this.queue.add(
        'volume-transfer',
        { transferId: transfer.id, serviceId: service.id },
        serviceJobOptions(`volume-transfer-${transfer.id}`, 1),
      );
    } catch (error) {
      const reason = `could not queue the ${kind}: ${(error as Error).message}`;
      this.logger.error(`volume transfer ${transfer.id}: ${reason}`);
      await repository.update(
        { id: transfer.id },
        { status: 'failed', failureReason: reason, endedAt: new Date() },
      );
      throw new DomainError(ErrorCode.ServiceUnavailable, `The ${kind} could not be queued; retry`);
    }
    return transfer;
  }

  async list(userId: string, serviceId: string): Promise<VolumeTransfer[]> {
    await this.services.get(userId, serviceId);
    return this.dataSource
      .getRepository(VolumeTransfer)
      .find({ where: { serviceId }, order: { createdAt: 'DESC' }, take: 100 });
  }

  async get(userId: string, serviceId: string, transferId: string): Promise<VolumeTransfer> {
    await this.services.get(userId, serviceId);
    const transfer = await this.dataSource
      .getRepository(VolumeTransfer)
      .findOneBy({ id: transferId, serviceId });
    if (!transfer) throw DomainError.notFound('Volume transfer', transferId);
    return transfer;
  }
}

export function instanceRunning(at: VolumeAddress): DomainError {
  return new DomainError(
    ErrorCode.Conflict,
    `Instance ${at.ordinal} is running and mounts volume ${at.name}: pause the service or scale it below ${at.ordinal + 1} instance(s) before restoring`,
  );
}
