import {
  type ServiceOperationCause,
  type ServiceOperationKind,
  type ServiceOperationStatus,
} from '@slipway/contracts';
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

/** One scale or rolling restart of a service's instances, with its outcome. */
@Entity('service_operations')
@Index('idx_service_operations_service_started', ['serviceId', 'startedAt'])
export class ServiceOperation {
  @PrimaryGeneratedColumn('uuid') id!: string;

  @Column({ name: 'service_id', type: 'uuid' }) serviceId!: string;

  @Column({ type: 'varchar', length: 16 }) kind!: ServiceOperationKind;

  @Column({ name: 'deployment_id', type: 'uuid' }) deploymentId!: string;

  @Column({ type: 'int' }) instances!: number;

  /** The service's stored count before a scale, restored when the scale fails. */
  @Column({ name: 'previous_instances', type: 'int', nullable: true })
  previousInstances!: number | null;

  @Column({ type: 'varchar', length: 16 }) status!: ServiceOperationStatus;

  @Column({ name: 'failure_reason', type: 'text', nullable: true }) failureReason!: string | null;

  @Column({ type: 'varchar', length: 16, default: 'user' }) cause!: ServiceOperationCause;

  /** Why the platform decided it; null for a user's. */
  @Column({ type: 'text', nullable: true }) reason!: string | null;

  /** Null when the platform decided it. */
  @Column({ name: 'started_by', type: 'uuid', nullable: true }) startedBy!: string | null;

  @CreateDateColumn({ name: 'started_at', type: 'timestamptz' }) startedAt!: Date;

  @Column({ name: 'ended_at', type: 'timestamptz', nullable: true }) endedAt!: Date | null;

  @ManyToOne(() => Service, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'service_id' })
  service?: Service;
}
