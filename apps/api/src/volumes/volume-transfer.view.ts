import { ApiProperty } from '@nestjs/swagger';
import { type VolumeTransfer } from './volume-transfer.entity';

export class VolumeTransferView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) service_id!: string;
  @ApiProperty({ enum: ['backup', 'restore'] }) kind!: 'backup' | 'restore';
  @ApiProperty({ example: 'data' }) volume!: string;
  @ApiProperty({ example: 0 }) ordinal!: number;
  @ApiProperty({ enum: ['running', 'succeeded', 'failed'] })
  status!: 'running' | 'succeeded' | 'failed';
  @ApiProperty({
    nullable: true,
    type: String,
    format: 'uuid',
    description: 'The backup a restore reads',
  })
  source_backup_id!: string | null;
  @ApiProperty({ description: 'Bytes of the compressed archive written or read so far' })
  progress_bytes!: number;
  @ApiProperty({ nullable: true, type: Number, description: "The archive's size (gzipped tar)" })
  size_bytes!: number | null;
  @ApiProperty({ nullable: true, type: String, description: 'SHA-256 of the archive, hex' })
  sha256!: string | null;
  @ApiProperty({ nullable: true, type: String }) failure_reason!: string | null;
  @ApiProperty({ format: 'uuid' }) started_by!: string;
  @ApiProperty({ format: 'date-time' }) created_at!: string;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) ended_at!: string | null;
}

export function toVolumeTransferView(transfer: VolumeTransfer): VolumeTransferView {
  return {
    id: transfer.id,
    service_id: transfer.serviceId,
    kind: transfer.kind,
    volume: transfer.volumeName,
    ordinal: transfer.ordinal,
    status: transfer.status,
    source_backup_id: transfer.sourceBackupId,
    progress_bytes: Number(transfer.progressBytes),
    size_bytes: transfer.sizeBytes === null ? null : Number(transfer.sizeBytes),
    sha256: transfer.sha256,
    failure_reason: transfer.failureReason,
    started_by: transfer.startedBy,
    created_at: transfer.createdAt.toISOString(),
    ended_at: transfer.endedAt?.toISOString() ?? null,
  };
}
