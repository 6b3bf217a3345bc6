import { Column, Entity, JoinColumn, OneToOne, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { Service } from '../services/service.entity';

export interface RouteEndpoint {
  readonly host: string;
  readonly port: number;
}

/**
 * Where a service's traffic goes now: the edge loads these at start and applies the
 * messages published on `CHANNELS.routes` after each change.
 */
@Entity('service_routes')
export class ServiceRoute {
  @PrimaryColumn({ name: 'service_id', type: 'uuid' }) serviceId!: string;

  /** The deployment whose instances the endpoints belong to. */
  @Column({ name: 'deployment_id', type: 'uuid', nullable: true }) deploymentId!: string | null;

  @Column({ type: 'jsonb' }) endpoints!: RouteEndpoint[];

  /** Monotonic (epoch ms, bumped when equal) so a late message cannot undo a newer one. */
  @Column({ type: 'bigint', transformer: { to: (v: number) => v, from: (v: string) => Number(v) } })
  version!: number;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;

  @OneToOne(() => Service, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'service_id' })
  service?: Service;
}
