import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

export const PROFILE_PURPOSES = ['service'] as const;
export type ProfilePurpose = (typeof PROFILE_PURPOSES)[number];

/** A named size (CPU, memory, optional GPU) users pick instead of raw requests/limits. */
@Entity('resource_profiles')
export class ResourceProfile {
  @PrimaryGeneratedColumn('uuid') id!: string;

  @Column({ type: 'varchar', length: 63, unique: true }) name!: string;

  @Column({ type: 'varchar', length: 500, nullable: true }) description!: string | null;

  @Column({ type: 'varchar', length: 32, default: 'service' }) purpose!: ProfilePurpose;

  /** Kubernetes quantities, e.g. `500m` and `1Gi`. */
  @Column({ type: 'varchar', length: 32 }) cpu!: string;

  @Column({ type: 'varchar', length: 32 }) memory!: string;

  @Column({ name: 'gpu_type', type: 'varchar', length: 63, nullable: true }) gpuType!:
    string | null;

  @Column({ name: 'gpu_count', type: 'int', default: 0 }) gpuCount!: number;

  @Column({ name: 'sort_order', type: 'int', default: 0 }) sortOrder!: number;

  /** Key/value labels, e.g. `slipway.dev/stack`; the GIN index serves `labels @> …` filters. */
  @Index('idx_resource_profiles_labels', { synchronize: false })
  @Column({ type: 'jsonb', default: {} })
  labels!: Record<string, string>;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}
