import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Service } from '../services/service.entity';

/**
 * One reading of a service's CPU and memory, summed over its running instances, taken by
 * the usage sampler. `sampled_at` is the start of the sampling interval, so API replicas
 * sampling the same interval write one row, not one each.
 */
@Entity('usage_samples')
export class UsageSample {
  @PrimaryColumn({ name: 'service_id', type: 'uuid' }) serviceId!: string;

  @Index('idx_usage_samples_sampled_at')
  @PrimaryColumn({ name: 'sampled_at', type: 'timestamptz' })
  sampledAt!: Date;

  /** CPU time per second: 1 is one core busy. */
  @Column({ name: 'cpu_cores', type: 'double precision' }) cpuCores!: number;

  /** Working set, in bytes. */
  @Column({ name: 'memory_bytes', type: 'bigint' }) memoryBytes!: string;

  @ManyToOne(() => Service, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'service_id' })
  service?: Service;
}
