import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type MetricName, REQUEST_METRICS_BUCKET_SECONDS } from '@slipway/contracts';
import { DataSource } from 'typeorm';
import { APP_CONFIG } from '../config/config.module';
import { type AppConfig } from '../config/config.schema';
import { DeploymentsService } from '../deployments/deployments.service';
import {
  RUNTIME_DRIVER,
  type ResourceUsage,
  type RuntimeDriver,
  UsageUnavailableError,
} from '../runtime/runtime-driver';
import { type Service } from '../services/service.entity';
import { ServicesService } from '../services/services.service';
import { type MetricPointView, type MetricSeriesView } from './metric.view';
import { type MetricsRequest } from './metrics.dto';

interface BucketRow {
  time: string;
  requests: number;
  errors: number;
  p95: number | null;
}

interface UsageRow {
  time: string;
  cpu: number;
  memory: number;
}

/** At most about this many usage points per series: a week of 30 s samples is averaged. */
const MAX_USAGE_POINTS = 720;

type Outcome<T> = { ok: true; value: T } | { ok: false; error: string };

const REQUEST_METRICS: ReadonlySet<MetricName> = new Set([
  'request_rate',
  'error_rate',
  'latency_p95',
]);
const USAGE_METRICS: ReadonlySet<MetricName> = new Set(['cpu_usage', 'memory_usage']);

/**
 * Per-service metrics: request rate, 5xx rate and latency p95 from the edge's 10 s rollups,
 * CPU and memory from the usage sampler's history plus, when the window reaches now, a
 * reading from the runtime. Each source is read once however many of its series are asked
 * for, and a source that fails fails only its own series.
 */
@Injectable()
export class MetricsService {
  private readonly logger = new Logger(MetricsService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly services: ServicesService,
    private readonly deployments: DeploymentsService,
    @Inject(RUNTIME_DRIVER) private readonly runtime: RuntimeDriver,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async series(
    userId: string,
    serviceId: string,
    request: MetricsRequest,
  ): Promise<MetricSeriesView[]> {
    const service = await this.services.get(userId, serviceId);
    const wants = (names: ReadonlySet<MetricName>): boolean =>
      request.names.some((name) => names.has(name));
    const [buckets, history, current] = await Promise.all([
      wants(REQUEST_METRICS) ? this.buckets(serviceId, request) : null,
      wants(USAGE_METRICS) ? this.usageHistory(serviceId, request) : null,
      wants(USAGE_METRICS) && request.openEnded ? this.usage(service) : null,
    ]);
    const usage = history && usagePoints(history, current, new Date().toISOString());
    return request.names.map((name): MetricSeriesView => {
      switch (name) {
        case 'request_rate':
          return seriesFrom(name, buckets, (row) => row.requests / REQUEST_METRICS_BUCKET_SECONDS);
        case 'error_rate':
          return seriesFrom(name, buckets, (row) => row.errors / REQUEST_METRICS_BUCKET_SECONDS);
        case 'latency_p95':
          return seriesFrom(name, buckets, (row) => row.p95);
        case 'cpu_usage':
          return seriesFrom(name, usage, (row) => row.cpu);
        case 'memory_usage':
          return seriesFrom(name, usage, (row) => row.memory);
      }
    });
  }

  /** Removes every request-metrics row of the service (a teardown step of deleting it). */
  async deleteRowsOf(serviceId: string): Promise<void> {
    await this.dataSource.query('DELETE FROM request_metrics WHERE service_id = $1', [serviceId]);
  }

  /** Rows of one bucket from several edges (or flushes) add up; their p95 is the largest. */
  private async buckets(serviceId: string, request: MetricsRequest): Promise<Outcome<BucketRow[]>> {
    try {
      const rows = await this.dataSource.query<BucketRow[]>(
        `SELECT to_char(bucket_start AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS time,
                sum(requests)::float8 AS requests, sum(errors_5xx)::float8 AS errors,
                max(latency_p95_ms) AS p95
           FROM request_metrics
          WHERE service_id = $1 AND bucket_start >= $2 AND bucket_start < $3
          GROUP BY bucket_start
          ORDER BY bucket_start`,
        [serviceId, request.start, request.end],
      );
      return { ok: true, value: rows };
    } catch (error) {
      this.logger.warn(`reading request metrics of ${serviceId} failed: ${String(error)}`);
      return { ok: false, error: 'request metrics could not be read; try again' };
    }
  }

  /** The sampler's readings in the window, averaged so a long window stays readable. */
  private async usageHistory(
    serviceId: string,
    request: MetricsRequest,
  ): Promise<Outcome<UsageRow[]>> {
    const windowSeconds = (request.end.getTime() - request.start.getTime()) / 1000;
    const step = Math.max(
      this.config.runtime.usageSampleSeconds,
      Math.ceil(windowSeconds / MAX_USAGE_POINTS),
    );
    try {
      const rows = await this.dataSource.query<UsageRow[]>(
        `SELECT to_char(bin AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS time, cpu, memory
           FROM (SELECT date_bin(make_interval(secs => $4), sampled_at, 'epoch') AS bin,
                        avg(cpu_cores)::float8 AS cpu, avg(memory_bytes)::float8 AS memory
                   FROM usage_samples
                  WHERE service_id = $1 AND sampled_at >= $2 AND sampled_at < $3
                  GROUP BY bin) AS binned
          ORDER BY bin`,
        [serviceId, request.start, request.end, step],
      );
      return { ok: true, value: rows };
    } catch (error) {
      this.logger.warn(`reading usage samples of ${serviceId} failed: ${String(error)}`);
      return { ok: false, error: 'usage history could not be read; try again' };
    }
  }

  private async usage(service: Service): Promise<Outcome<ResourceUsage>> {
    try {
      return { ok: true, value: await this.runtime.usage(await this.deployments.refOf(service)) };
    } catch (error) {
      if (error instanceof UsageUnavailableError) return { ok: false, error: error.message };
      this.logger.warn(`reading usage of ${service.id} failed: ${String(error)}`);
      return {
        ok: false,
        error: `the ${this.runtime.kind} runtime did not report usage; try again`,
      };
    }
  }
}

function seriesFrom<Row extends { time: string }>(
  name: MetricName,
  buckets: Outcome<Row[]> | null,
  value: (row: Row) => number | null,
): MetricSeriesView {
  if (buckets && !buckets.ok) return { name, status: 'error', error: buckets.error, points: [] };
  const points: MetricPointView[] = [];
  for (const row of buckets?.value ?? []) {
    const v = value(row);
    if (v !== null) points.push({ time: row.time, value: v });
  }
  return { name, status: 'ok', points };
}

/**
 * The history, then the current reading at now when there is one. A reading that fails
 * fails the series only when there is no history to show instead.
 */
function usagePoints(
  history: Outcome<UsageRow[]>,
  current: Outcome<ResourceUsage> | null,
  now: string,
): Outcome<UsageRow[]> {
  if (!history.ok || current === null) return history;
  if (!current.ok) return history.value.length > 0 ? history : current;
  const reading = { time: now, cpu: current.value.cpuCores, memory: current.value.memoryBytes };
  return { ok: true, value: [...history.value, reading] };
}
