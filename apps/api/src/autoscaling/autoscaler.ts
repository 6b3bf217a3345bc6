import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { isUUID } from 'class-validator';
import { DataSource } from 'typeorm';
import { PeriodicTask } from '../common/scheduling/periodic-task';
import { APP_CONFIG } from '../config/config.module';
import { type AppConfig } from '../config/config.schema';
import { type ActivitySnapshot, EdgeActivityReader } from './edge-activity';
import { ConcurrencyScaler, type ConcurrencyCandidate } from './concurrency-scaler';
import { ScaleToZero, type SleepCandidate } from './scale-to-zero';

/** What one pass started. */
export interface AutoscalePass {
  readonly slept: string[];
  /** Service id → the count a scale was started to. */
  readonly scaled: Map<string, number>;
}

/**
 * Every `runtime.autoscaleIntervalSeconds`: reads what the edges see, keeps each service's
 * latest request in PostgreSQL (an edge forgets a quiet service after a while; the idle
 * timeout may be much longer), scales services with `target_concurrency` to their in-flight
 * requests (docker runtime; Kubernetes has its HPA) and puts idle services that may sleep
 * to sleep. With no edge reporting, nothing is known about traffic: nothing changes.
 */
@Injectable()
export class Autoscaler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(Autoscaler.name);
  private readonly schedule = new PeriodicTask('autoscale pass', () => this.pass(), this.logger);
  private blindLogged = false;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly activity: EdgeActivityReader,
    private readonly scaleToZero: ScaleToZero,
    private readonly concurrency: ConcurrencyScaler,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.schedule.start(this.config.runtime.autoscaleIntervalSeconds * 1000);
  }

  onApplicationShutdown(): Promise<void> {
    return this.schedule.stop();
  }

  /** One pass. */
  async pass(now = Date.now()): Promise<AutoscalePass> {
    const snapshot = await this.activity.read();
    await this.remember(snapshot);
    const scaled = new Map<string, number>();
    if (snapshot.edges === 0) {
      if (!this.blindLogged) this.logger.log('no edge reports traffic: nothing is autoscaled');
      this.blindLogged = true;
      return { slept: [], scaled };
    }
    this.blindLogged = false;
    if (this.config.runtime.driver === 'docker') {
      const candidates = await this.concurrencyCandidates();
      this.concurrency.retain(new Set(candidates.map((candidate) => candidate.id)));
      for (const candidate of candidates) {
        try {
          const activity = snapshot.services.get(candidate.id);
          const windowMs = this.config.runtime.scaleInSeconds * 1000;
          const target = await this.concurrency.rescale(candidate, activity, now, windowMs);
          if (target !== null) scaled.set(candidate.id, target);
        } catch (error) {
          this.logger.warn(`scale of ${candidate.id} not decided: ${(error as Error).message}`);
        }
      }
    }
    const slept: string[] = [];
    for (const candidate of await this.sleepCandidates()) {
      try {
        const activity = snapshot.services.get(candidate.id);
        if (scaled.has(candidate.id)) continue;
        if (await this.scaleToZero.sleepIfIdle(candidate, activity, now)) slept.push(candidate.id);
      } catch (error) {
        this.logger.warn(`sleep of ${candidate.id} not decided: ${(error as Error).message}`);
      }
    }
    return { slept, scaled };
  }

  /** Stores each service's latest request where it is newer than the one stored. */
  private async remember(snapshot: ActivitySnapshot): Promise<void> {
    const seen = [...snapshot.services].filter(
      ([id, activity]) => isUUID(id) && activity.lastRequestAt > 0,
    );
    if (seen.length === 0) return;
    await this.dataSource.query(
      `UPDATE services s SET last_request_at = to_timestamp(seen.ms / 1000.0)
         FROM unnest($1::uuid[], $2::float8[]) AS seen(id, ms)
        WHERE s.id = seen.id
          AND (s.last_request_at IS NULL OR s.last_request_at < to_timestamp(seen.ms / 1000.0))`,
      [seen.map(([id]) => id), seen.map(([, activity]) => activity.lastRequestAt)],
    );
  }

  /** Serving, awake services whose live deployment scales by in-flight requests. */
  private async concurrencyCandidates(): Promise<ConcurrencyCandidate[]> {
    const rows = await this.dataSource.query<
      { id: string; min: number; max: number; target: number; current: number }[]
    >(
      `SELECT s.id, (d.settings->'autoscaling'->>'minReplicas')::int AS min,
              (d.settings->'autoscaling'->>'maxReplicas')::int AS max,
              (d.settings->'autoscaling'->>'targetConcurrency')::int AS target,
              jsonb_array_length(r.endpoints) AS current
         FROM services s
         JOIN service_routes r ON r.service_id = s.id
         JOIN deployments d ON d.id = r.deployment_id
        WHERE s.status IN ('running', 'degraded') AND NOT s.asleep
          AND d.settings->'autoscaling'->>'targetConcurrency' IS NOT NULL`,
    );
    return rows.map((row) => ({
      id: row.id,
      minReplicas: row.min,
      maxReplicas: row.max,
      targetConcurrency: row.target,
      current: row.current,
    }));
  }

  /** Serving services whose live deployment may sleep (min_replicas 0). */
  private async sleepCandidates(): Promise<SleepCandidate[]> {
    const rows = await this.dataSource.query<{ id: string; idle: number; last_active_at: Date }[]>(
      `SELECT s.id, (d.settings->'autoscaling'->>'idleTimeoutSeconds')::int AS idle,
              GREATEST(s.last_request_at, d.ended_at,
                       (SELECT max(o.ended_at) FROM service_operations o WHERE o.service_id = s.id),
                       s.updated_at) AS last_active_at
         FROM services s
         JOIN service_routes r ON r.service_id = s.id
         JOIN deployments d ON d.id = r.deployment_id
        WHERE s.status IN ('running', 'degraded') AND NOT s.asleep
          AND (d.settings->'autoscaling'->>'minReplicas')::int = 0
          AND d.settings->'autoscaling'->>'idleTimeoutSeconds' IS NOT NULL`,
    );
    return rows.map((row) => ({
      id: row.id,
      idleTimeoutSeconds: row.idle,
      lastActiveAt: row.last_active_at,
    }));
  }
}
