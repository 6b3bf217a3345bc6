import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';

export type IdempotencyState = 'in_flight' | 'completed';

/** The stored outcome of a creating call made with an Idempotency-Key. */
@Entity('idempotency_records')
@Unique('uq_idempotency_user_key', ['userId', 'key'])
export class IdempotencyRecord {
  @PrimaryGeneratedColumn('uuid') id!: string;

  @Column({ name: 'user_id', type: 'uuid' }) userId!: string;

  @Column({ type: 'varchar', length: 255 }) key!: string;

  /** SHA-256 over method, route and body: the same key with another request is refused. */
  @Column({ name: 'request_hash', type: 'char', length: 64 }) requestHash!: string;

  @Column({ type: 'varchar', length: 16 }) state!: IdempotencyState;

  @Column({ name: 'response_status', type: 'int', nullable: true }) responseStatus!: number | null;

  @Column({ name: 'response_body', type: 'jsonb', nullable: true }) responseBody!: unknown;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;

  @Index()
  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;
}
