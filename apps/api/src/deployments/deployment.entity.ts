import { type DeploymentStatus, type DeployTrigger } from '@slipway/contracts';
import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  UpdateDateColumn,
} from 'typeorm';
import { Service } from '../services/service.entity';
import { type DeploymentSettings, type StoredRepo, type StoredSource } from './deployment-settings';

@Entity('deployments')
@Index('idx_deployments_service_created', ['serviceId', 'createdAt'])
export class Deployment {
  /** Assigned before the row is written: it names the bundle and the image tag. */
  @PrimaryColumn('uuid') id!: string;

  @Column({ name: 'service_id', type: 'uuid' }) serviceId!: string;

  @Column({ name: 'org_id', type: 'uuid' }) orgId!: string;

  @Column({ name: 'project_id', type: 'uuid' }) projectId!: string;

  @Column({ type: 'varchar', length: 32 }) status!: DeploymentStatus;

  @Column({ type: 'varchar', length: 32, default: 'deploy' }) trigger!: DeployTrigger;

  @Column({ name: 'started_by', type: 'uuid' }) startedBy!: string;

  @Column({ name: 'started_at', type: 'timestamptz' }) startedAt!: Date;

  @Column({ name: 'ended_at', type: 'timestamptz', nullable: true }) endedAt!: Date | null;

  @Column({ type: 'varchar', length: 512, nullable: true }) image!: string | null;

  @Column({ name: 'image_digest', type: 'varchar', length: 71, nullable: true })
  imageDigest!: string | null;

  @Column({ type: 'jsonb', nullable: true }) source!: StoredSource | null;

  /** Built from a git repository: which, and (once cloned) the commit. */
  @Column({ type: 'jsonb', nullable: true }) repo!: StoredRepo | null;

  @Column({ type: 'jsonb' }) settings!: DeploymentSettings;

  @Column({ name: 'failure_reason', type: 'text', nullable: true }) failureReason!: string | null;

  /** HMAC of the build token the builder presents to download the bundle. */
  @Column({ name: 'build_token_hash', type: 'char', length: 64, nullable: true })
  buildTokenHash!: string | null;

  /** Bundle downloads so far: one per build attempt is allowed. */
  @Column({ name: 'bundle_fetches', type: 'int', default: 0 }) bundleFetches!: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;

  @ManyToOne(() => Service, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'service_id' })
  service?: Service;
}
