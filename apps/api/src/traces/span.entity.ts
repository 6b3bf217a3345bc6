import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * One span as the collector stored it, under the service whose token sent it (whatever
 * `service.name` says). Written by apps/collector in batches; read by the traces routes.
 * No foreign key: inserts stay cheap, and deleting a service deletes its spans explicitly.
 */
@Entity('spans')
@Index('idx_spans_service_start', ['serviceId', 'startTime'])
export class Span {
  @PrimaryColumn({ name: 'service_id', type: 'uuid' }) serviceId!: string;

  /** 32 lowercase hex characters. */
  @PrimaryColumn({ name: 'trace_id', type: 'char', length: 32 }) traceId!: string;

  /** 16 lowercase hex characters. */
  @PrimaryColumn({ name: 'span_id', type: 'char', length: 16 }) spanId!: string;

  @Column({ name: 'parent_span_id', type: 'char', length: 16, nullable: true })
  parentSpanId!: string | null;

  @Column({ type: 'text' }) name!: string;

  /** OTLP SpanKind: 0 unspecified, 1 internal, 2 server, 3 client, 4 producer, 5 consumer. */
  @Column({ type: 'smallint' }) kind!: number;

  @Column({ name: 'start_time', type: 'timestamptz' }) startTime!: Date;

  @Column({ name: 'end_time', type: 'timestamptz' }) endTime!: Date;

  /** End minus start in nanoseconds, exact (timestamptz keeps microseconds only). */
  @Column({ name: 'duration_ns', type: 'bigint' }) durationNs!: string;

  /** OTLP StatusCode: 0 unset, 1 ok, 2 error. */
  @Column({ name: 'status_code', type: 'smallint' }) statusCode!: number;

  @Column({ name: 'status_message', type: 'text', nullable: true }) statusMessage!: string | null;

  /** `{key: value}` with OTLP AnyValue turned into JSON. */
  @Column({ type: 'jsonb' }) attributes!: Record<string, unknown>;

  /** `[{name, time, attributes}]`. */
  @Column({ type: 'jsonb' }) events!: unknown[];

  /** `[{trace_id, span_id, attributes}]`. */
  @Column({ type: 'jsonb' }) links!: unknown[];

  /** Resource attributes of the batch the span came in. */
  @Column({ type: 'jsonb' }) resource!: Record<string, unknown>;

  /** When the collector accepted it: the retention period counts from here. */
  @Index('idx_spans_received_brin', { synchronize: false })
  @Column({ name: 'received_at', type: 'timestamptz', default: () => 'now()' })
  receivedAt!: Date;
}
