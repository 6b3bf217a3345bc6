import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One request the edge proxied to a service (a WebSocket: one row when its tunnel closed).
 * Written by apps/edge in batches; read by the access-logs route; deleted after the
 * retention period by the edge. No foreign key: inserts stay cheap, and deleting a service
 * deletes its rows explicitly.
 */
@Entity('access_logs')
@Index('idx_access_logs_service_time', ['serviceId', 'time'])
export class AccessLog {
  /** Insertion order: breaks ties between rows of the same time. */
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id!: string;

  /** When the request arrived. */
  @Index('idx_access_logs_time_brin', { synchronize: false })
  @Column({ type: 'timestamptz' })
  time!: Date;

  @Column({ name: 'service_id', type: 'uuid' }) serviceId!: string;

  @Column({ type: 'text' }) method!: string;

  /** Without the query string (query strings may carry credentials). */
  @Column({ type: 'text' }) path!: string;

  /** 101 for a proxied WebSocket; 499 when the client left before an answer. */
  @Column({ type: 'smallint' }) status!: number;

  @Column({ name: 'duration_ms', type: 'double precision' }) durationMs!: number;

  @Column({ name: 'bytes_in', type: 'bigint' }) bytesIn!: string;

  @Column({ name: 'bytes_out', type: 'bigint' }) bytesOut!: string;

  @Column({ name: 'client_ip', type: 'text', nullable: true }) clientIp!: string | null;

  @Column({ name: 'user_agent', type: 'text', nullable: true }) userAgent!: string | null;

  @Column({ name: 'request_id', type: 'text' }) requestId!: string;
}
