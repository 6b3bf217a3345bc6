import { type AccessType, type ServiceStatus } from '@slipway/contracts';
import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  Unique,
  UpdateDateColumn,
  VirtualColumn,
} from 'typeorm';
import { Project } from '../projects/project.entity';
import { User } from '../users/user.entity';

@Entity('services')
@Unique('uq_services_project_name', ['projectId', 'name'])
@Check('chk_services_port', '"port" BETWEEN 1 AND 65535')
@Index(['orgId'])
export class Service {
  @PrimaryGeneratedColumn('uuid') id!: string;

  @Column({ name: 'org_id', type: 'uuid' }) orgId!: string;

  @Column({ name: 'project_id', type: 'uuid' }) projectId!: string;

  @Column({ type: 'varchar', length: 54 }) name!: string;

  @Column({ type: 'varchar', length: 500, nullable: true }) description!: string | null;

  @Column({ type: 'varchar', length: 63, default: 'service' }) category!: string;

  @Column({ name: 'access_type', type: 'varchar', length: 16, default: 'private' })
  accessType!: AccessType;

  /** What the next deployment listens on unless it names a port; each deployment records its own. */
  @Column({ type: 'int', default: 8080 }) port!: number;

  @Column({ type: 'varchar', length: 253, unique: true }) hostname!: string;

  /**
   * Custom domains (rows of `service_domains`), read with the service so views, routes and
   * runtime specs all see them; changed only through `ServicesService.update`.
   */
  @VirtualColumn({
    query: (alias) =>
      `SELECT COALESCE(array_agg(d.domain ORDER BY d.domain), '{}') FROM service_domains d WHERE d.service_id = ${alias}.id`,
    transformer: {
      from: (value: unknown): string[] => (Array.isArray(value) ? (value as string[]) : []),
      to: (value: unknown): unknown => value,
    },
  })
  domains!: string[];

  @Column({ type: 'varchar', length: 16, default: 'created' }) status!: ServiceStatus;

  /** Why the status is `degraded` or `failed`; null otherwise. */
  @Column({ name: 'status_reason', type: 'text', nullable: true }) statusReason!: string | null;

  /** Set by `POST /scale` and kept across deployments; 0 pauses; null: the deployment's own. */
  @Column({ type: 'int', nullable: true }) instances!: number | null;

  /** Bounds for autoscaling and for `POST /scale`; null: no bound of the service's own. */
  @Column({ name: 'min_replicas', type: 'int', nullable: true }) minReplicas!: number | null;

  @Column({ name: 'max_replicas', type: 'int', nullable: true }) maxReplicas!: number | null;

  /** Scaled to zero because idle: its status reads `sleeping` and a request wakes it. */
  @Column({ type: 'boolean', default: false }) asleep!: boolean;

  /** Why the last wake failed, while it still sleeps. */
  @Column({ name: 'wake_failure', type: 'text', nullable: true }) wakeFailure!: string | null;

  /** The latest request an edge reported (kept by the autoscaler, which decides sleep on it). */
  @Column({ name: 'last_request_at', type: 'timestamptz', nullable: true })
  lastRequestAt!: Date | null;

  /** HMAC of the service token, for the collector's lookups. */
  @Column({ name: 'token_hash', type: 'char', length: 64, unique: true }) tokenHash!: string;

  /** The service token sealed with SecretBox: runtimes inject it into containers. */
  @Column({ name: 'token_ciphertext', type: 'text' }) tokenCiphertext!: string;

  /** The token a rotation replaced: still accepted until `previousTokenExpiresAt`. */
  @Index('idx_services_previous_token_hash')
  @Column({ name: 'previous_token_hash', type: 'char', length: 64, nullable: true })
  previousTokenHash!: string | null;

  @Column({ name: 'previous_token_expires_at', type: 'timestamptz', nullable: true })
  previousTokenExpiresAt!: Date | null;

  @Column({ name: 'created_by', type: 'uuid' }) createdBy!: string;

  /** Key/value labels, e.g. `slipway.dev/stack`; the GIN index serves `labels @> …` filters. */
  @Index('idx_services_labels', { synchronize: false })
  @Column({ type: 'jsonb', default: {} })
  labels!: Record<string, string>;

  /** Short lowercase words; the GIN index serves `tags @> ARRAY[…]` filters. */
  @Index('idx_services_tags', { synchronize: false })
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  tags!: string[];

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;

  @ManyToOne(() => Project, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'project_id' })
  project?: Project;

  @ManyToOne(() => User)
  @JoinColumn({ name: 'created_by' })
  creator?: User;
}
