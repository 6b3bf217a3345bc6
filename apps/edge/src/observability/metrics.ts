import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { HoldOutcome } from '../wake/wake-holds';

/** Label for requests that matched no service: host headers must not become label values. */
export const UNROUTED = '_unrouted';

/**
 * The edge's Prometheus metrics, in a registry of its own (several edges can share a
 * process in tests). Served on the admin port only.
 */
export class EdgeMetrics {
  readonly registry = new Registry();
  private readonly requests: Counter<'service' | 'method' | 'status'>;
  private readonly duration: Histogram<'service'>;
  private readonly websockets: Counter<'service' | 'outcome'>;
  private readonly metricsDropped: Counter;
  private readonly accessLogsDropped: Counter;
  private readonly writeFailures: Counter<'table'>;
  private readonly held: Gauge<'service'>;
  private readonly wakes: Counter<'service'>;
  private readonly holdOutcomes: Counter<'service' | 'outcome'>;
  /**
   * Each request's series, bound once, its count kept here until a scrape: prom-client hashes
   * the labels on every call, even of a bound series, and this runs for every access-log line.
   * As many entries as series exist anyway.
   */
  private readonly requestSeries = new Map<string, RequestSeries>();

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'slipway_edge_' });
    this.requests = new Counter({
      name: 'slipway_edge_requests_total',
      help: 'HTTP requests answered, by service id, method and status',
      labelNames: ['service', 'method', 'status'],
      registers: [this.registry],
      collect: () => this.addPendingCounts(),
    });
    this.duration = new Histogram({
      name: 'slipway_edge_request_duration_seconds',
      help: 'Time from request to the end of the response, by service id',
      labelNames: ['service'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers: [this.registry],
    });
    this.websockets = new Counter({
      name: 'slipway_edge_websocket_upgrades_total',
      help: 'WebSocket upgrade requests, by service id and outcome (proxied or refused)',
      labelNames: ['service', 'outcome'],
      registers: [this.registry],
    });
    this.accessLogsDropped = new Counter({
      name: 'slipway_edge_access_log_dropped_total',
      help: 'Access-log rows dropped because the in-memory buffer was full (database slow or down)',
      registers: [this.registry],
    });
    this.metricsDropped = new Counter({
      name: 'slipway_edge_request_metrics_dropped_total',
      help: 'Request-metrics rows dropped because the in-memory buffer was full',
      registers: [this.registry],
    });
    this.writeFailures = new Counter({
      name: 'slipway_edge_telemetry_write_failures_total',
      help: 'Failed batch writes of access logs or request metrics, by table (rows are retried)',
      labelNames: ['table'],
      registers: [this.registry],
    });
    this.held = new Gauge({
      name: 'slipway_edge_held_requests',
      help: 'Requests (and WebSocket upgrades) held by the agent while their sleeping service wakes, by service id',
      labelNames: ['service'],
      registers: [this.registry],
    });
    this.wakes = new Counter({
      name: 'slipway_edge_wake_requests_total',
      help: 'Wake requests published for sleeping services (first held request, repeats while held, retries after a failure)',
      labelNames: ['service'],
      registers: [this.registry],
    });
    this.holdOutcomes = new Counter({
      name: 'slipway_edge_wake_outcomes_total',
      help: 'How held requests ended, by service id and outcome: released (proxied once awake), failed (the wake failed), timed_out, queue_full, refused (paused or deleted meanwhile), abandoned (connection closed)',
      labelNames: ['service', 'outcome'],
      registers: [this.registry],
    });
  }

  heldRequests(service: string, count: number): void {
    // A service that holds nothing has no series: ids must not pile up as labels.
    if (count > 0) this.held.set({ service }, count);
    else this.held.remove({ service });
  }

  wakeRequested(service: string): void {
    this.wakes.inc({ service });
  }

  holdEnded(service: string, outcome: HoldOutcome): void {
    this.holdOutcomes.inc({ service, outcome });
  }

  accessLogDropped(count: number): void {
    this.accessLogsDropped.inc(count);
  }

  requestMetricsDropped(count: number): void {
    this.metricsDropped.inc(count);
  }

  telemetryWriteFailed(table: string): void {
    this.writeFailures.inc({ table });
  }

  observeRequest(service: string, method: string, status: number, seconds: number): void {
    const known = KNOWN_METHODS.has(method) ? method : 'OTHER';
    const key = `${service} ${known} ${status}`;
    let series = this.requestSeries.get(key);
    if (series === undefined) {
      series = {
        count: this.requests.labels({ service, method: known, status }),
        pending: 0,
        duration: this.duration.labels({ service }),
      };
      this.requestSeries.set(key, series);
    }
    series.pending += 1;
    series.duration.observe(seconds);
  }

  private addPendingCounts(): void {
    for (const series of this.requestSeries.values()) {
      if (series.pending === 0) continue;
      series.count.inc(series.pending);
      series.pending = 0;
    }
  }

  observeUpgrade(service: string, outcome: 'proxied' | 'refused'): void {
    this.websockets.inc({ service, outcome });
  }
}

interface RequestSeries {
  readonly count: Counter.Internal;
  /** Requests not yet added to `count`. */
  pending: number;
  readonly duration: Histogram.Internal<'service'>;
}

const KNOWN_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
