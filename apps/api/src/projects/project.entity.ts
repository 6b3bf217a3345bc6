import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  Unique,
  UpdateDateColumn,
} from 'typeorm';
import { Organization } from '../orgs/organization.entity';

@Entity('projects')
@Unique('uq_projects_org_name', ['orgId', 'name'])
export class Project {
  @PrimaryGeneratedColumn('uuid') id!: string;

  @Column({ name: 'org_id', type: 'uuid' }) orgId!: string;

  @Column({ type: 'varchar', length: 100 }) name!: string;

  @Column({ type: 'varchar', length: 500, nullable: true }) description!: string | null;

  /** Key/value labels, e.g. `slipway.dev/stack`; the GIN index serves `labels @> …` filters. */
  @Index('idx_projects_labels', { synchronize: false })
  @Column({ type: 'jsonb', default: {} })
  labels!: Record<string, string>;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;

  @ManyToOne(() => Organization, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'org_id' })
  org?: Organization;
}
