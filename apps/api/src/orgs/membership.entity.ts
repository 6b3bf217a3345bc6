import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
} from 'typeorm';
import { User } from '../users/user.entity';
import { Organization } from './organization.entity';

export const ORG_ROLES = ['owner', 'admin', 'member'] as const;
export type OrgRole = (typeof ORG_ROLES)[number];

@Entity('org_memberships')
@Index(['userId'])
export class Membership {
  @PrimaryColumn({ name: 'org_id', type: 'uuid' }) orgId!: string;

  @PrimaryColumn({ name: 'user_id', type: 'uuid' }) userId!: string;

  @Column({ type: 'varchar', length: 16 }) role!: OrgRole;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;

  @ManyToOne(() => Organization, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'org_id' })
  org?: Organization;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: User;
}
