import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { Organization } from '../orgs/organization.entity';
import { Project } from '../projects/project.entity';
import { User } from '../users/user.entity';

/** A credential for calling private services: org-wide, or limited to one project. */
@Entity('access_keys')
@Index(['orgId', 'projectId'])
// The edge reads what changed every 250 ms: keys created or revoked since its last read.
@Index('idx_access_keys_created_at', ['createdAt'])
@Index('idx_access_keys_revoked_at', ['revokedAt'])
export class AccessKey {
  @PrimaryGeneratedColumn('uuid') id!: string;

  @Column({ name: 'org_id', type: 'uuid' }) orgId!: string;

  /** Null for an org-scoped key. */
  @Column({ name: 'project_id', type: 'uuid', nullable: true }) projectId!: string | null;

  @Column({ type: 'varchar', length: 100 }) name!: string;

  @Column({ name: 'key_hash', type: 'char', length: 64, unique: true }) keyHash!: string;

  @Column({ name: 'last_four', type: 'varchar', length: 4 }) lastFour!: string;

  @Column({ name: 'created_by', type: 'uuid' }) createdBy!: string;

  @Column({ name: 'expires_at', type: 'timestamptz', nullable: true }) expiresAt!: Date | null;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true }) revokedAt!: Date | null;

  /** Key/value labels, e.g. `slipway.dev/stack`; the GIN index serves `labels @> …` filters. */
  @Index('idx_access_keys_labels', { synchronize: false })
  @Column({ type: 'jsonb', default: {} })
  labels!: Record<string, string>;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;

  @ManyToOne(() => Organization, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'org_id' })
  org?: Organization;

  @ManyToOne(() => Project, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'project_id' })
  project?: Project;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'created_by' })
  creator?: User;
}
