import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One service's requests in one 10 s bucket, as one edge rolled them up. Several edges (or
 * one edge flushing a bucket early at shutdown) may write rows for the same bucket: readers
 * sum the counts and take the largest p95.
 */
@Entity('request_metrics')
@Index('idx_request_metrics_service_bucket', ['serviceId', 'bucketStart'])
export class RequestMetric {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id!: string;

  @Column({ name: 'service_id', type: 'uuid' }) serviceId!: string;

  @Index('idx_request_metrics_bucket_brin', { synchronize: false })
  @Column({ name: 'bucket_start', type: 'timestamptz' })
  bucketStart!: Date;

  @Column({ type: 'integer' }) requests!: number;

  @Column({ name: 'errors_5xx', type: 'integer' }) errors5xx!: number;

  /** Null when no request of the bucket had a latency (WebSocket tunnels only). */
  @Column({ name: 'latency_p95_ms', type: 'double precision', nullable: true })
  latencyP95Ms!: number | null;
}
