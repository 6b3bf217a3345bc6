import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
} from 'typeorm';
import { Service } from './service.entity';

/**
 * A custom domain the edge routes to a service like its generated hostname. The domain is
 * the key: one domain belongs to at most one service on the whole platform.
 */
@Entity('service_domains')
@Index('idx_service_domains_service', ['serviceId'])
export class ServiceDomain {
  @PrimaryColumn({ type: 'varchar', length: 253 }) domain!: string;

  @Column({ name: 'service_id', type: 'uuid' }) serviceId!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;

  @ManyToOne(() => Service, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'service_id' })
  service?: Service;
}
