import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { Service } from '../services/service.entity';

export type VolumeTransferKind = 'backup' | 'restore';
export type VolumeTransferStatus = 'running' | 'succeeded' | 'failed';

/**
 * A backup of one instance's volume to the blob store, or a restore of one into a stopped
 * instance's volume, with its progress and outcome. A backup's archive goes with it.
 */
@Entity('volume_transfers')
@Index('idx_volume_transfers_service_created', ['serviceId', 'createdAt'])
export class VolumeTransfer {
  @PrimaryGeneratedColumn('uuid') id!: string;

  @Column({ name: 'service_id', type: 'uuid' }) serviceId!: string;

  @Column({ type: 'varchar', length: 16 }) kind!: VolumeTransferKind;

  @Column({ name: 'volume_name', type: 'varchar', length: 63 }) volumeName!: string;

  @Column({ type: 'int' }) ordinal!: number;

  @Column({ type: 'varchar', length: 16 }) status!: VolumeTransferStatus;

  /** The backup a restore reads (of this service or another the user can see). */
  @Column({ name: 'source_backup_id', type: 'uuid', nullable: true })
  sourceBackupId!: string | null;

  /** A backup's gzipped tar in the blob store. */
  @Column({ name: 'blob_key', type: 'varchar', length: 255, nullable: true })
  blobKey!: string | null;

  /** Bytes of the archive written (backup) or read (restore) so far. */
  @Column({ name: 'progress_bytes', type: 'bigint', default: 0 }) progressBytes!: string;

  @Column({ name: 'size_bytes', type: 'bigint', nullable: true }) sizeBytes!: string | null;

  @Column({ type: 'char', length: 64, nullable: true }) sha256!: string | null;

  @Column({ name: 'failure_reason', type: 'text', nullable: true }) failureReason!: string | null;

  @Column({ name: 'started_by', type: 'uuid' }) startedBy!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;

  @Column({ name: 'ended_at', type: 'timestamptz', nullable: true }) endedAt!: Date | null;

  @ManyToOne(() => Service, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'service_id' })
  service?: Service;
}
