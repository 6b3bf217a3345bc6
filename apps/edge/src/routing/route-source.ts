import { RouteMessageSchema } from '@slipway/contracts';
import { names, serviceDomains, serviceRoutes, services } from '@slipway/db-schema';
import type { Pool } from 'pg';
import type { Logger } from 'pino';
import type { Endpoint, Route, RouteTable } from './route-table';

/** One row of the snapshot query. */
export interface RouteRow {
  service_id: string;
  org_id: string;
  project_id: string;
  hostname: string;
  /** Custom domains, routed exactly like the generated hostname. */
  domains: string[];
  access_type: 'private' | 'public';
  instances: number | null;
  status: string;
  asleep: boolean;
  wake_failure: string | null;
  endpoints: Endpoint[] | null;
  version: string | null;
  deployed: boolean;
}

const s = names(services);
const r = names(serviceRoutes);
const d = names(serviceDomains);

// Every service, with its route when it has one: a service created but never deployed
// answers "not deployed" rather than "unknown host".
const SNAPSHOT_SQL = `
  SELECT s.${s.id} AS service_id, s.${s.org_id}, s.${s.project_id}, s.${s.hostname},
         s.${s.access_type}, s.${s.instances}, s.${s.status}, s.${s.asleep}, s.${s.wake_failure},
         r.${r.endpoints}, r.${r.service_id} IS NOT NULL AS deployed,
         -- A service never deployed is versioned by its last change, as the API publishes it.
         COALESCE(r.${r.version}, floor(extract(epoch FROM s.${s.updated_at}) * 1000)::bigint)
           AS version,
         ARRAY(SELECT d.${d.domain} FROM ${serviceDomains.name} d
                WHERE d.${d.service_id} = s.${s.id} ORDER BY d.${d.domain}) AS domains
    FROM ${services.name} s
    LEFT JOIN ${serviceRoutes.name} r ON r.${r.service_id} = s.${s.id}`;

/**
 * Keeps the route table in step with PostgreSQL: a full read at start, then the messages the
 * API publishes, and a full read again periodically and after every Redis reconnect, so a
 * message missed while disconnected cannot leave a stale route behind.
 */
export class RouteSource {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | null = null;
  private loaded = false;

  constructor(
    private readonly table: RouteTable,
    private readonly pool: Pool,
    private readonly options: { readonly resyncIntervalMs: number },
    private readonly logger: Logger,
    /** Called after every change the table took (a message, a full read). */
    private readonly onChange: () => void = () => undefined,
  ) {}

  /** Whether one full read has succeeded (readiness). */
  get ready(): boolean {
    return this.loaded;
  }

  /** Reads every route now; concurrent calls share one read. */
  resync(): Promise<void> {
    this.running ??= this.read().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  /** Loads once (logging, not throwing, a failure) and schedules the periodic resync. */
  async start(): Promise<void> {
    await this.resync().catch((error: unknown) =>
      this.logger.warn({ err: error }, 'routes not loaded yet; retrying on the resync schedule'),
    );
    this.schedule();
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Applies one message from the routes channel; drops (and logs) what does not parse. */
  handleMessage(payload: string): void {
    let json: unknown;
    try {
      json = JSON.parse(payload);
    } catch {
      this.logger.warn('dropped a route message that is not JSON');
      return;
    }
    const parsed = RouteMessageSchema.safeParse(json);
    if (!parsed.success) {
      this.logger.warn({ issues: parsed.error.issues }, 'dropped an invalid route message');
      return;
    }
    const applied = this.table.apply(parsed.data);
    if (applied) this.onChange();
    this.logger.debug(
      { serviceId: parsed.data.serviceId, version: parsed.data.version, applied },
      'route message',
    );
  }

  private schedule(): void {
    // Until the first read succeeds, retry sooner than the regular interval.
    const delay = this.loaded
      ? this.options.resyncIntervalMs
      : Math.min(2000, this.options.resyncIntervalMs);
    this.timer = setTimeout(() => {
      this.resync()
        .catch((error: unknown) => this.logger.warn({ err: error }, 'route resync failed'))
        .finally(() => {
          if (this.timer) this.schedule();
        });
    }, delay);
    this.timer.unref();
  }

  private async read(): Promise<void> {
    const since = this.table.mark();
    const { rows } = await this.pool.query<RouteRow>(SNAPSHOT_SQL);
    this.table.replaceAll(rows.map(routeFromRow), since);
    this.loaded = true;
    this.onChange();
    this.logger.debug({ services: rows.length }, 'routes loaded');
  }
}

export function routeFromRow(row: RouteRow): Route {
  const endpoints = (row.endpoints ?? []).map((e) => ({ host: e.host, port: e.port }));
  // Scaled to zero because idle, or waking from it, until an instance is ready: as the API
  // publishes it (a sleeping service being redeployed reads `deploying` and stays asleep).
  const sleeping = (row.asleep || row.status === 'waking') && endpoints.length === 0;
  const paused = row.instances === 0 && !sleeping;
  return {
    serviceId: row.service_id,
    orgId: row.org_id,
    projectId: row.project_id,
    hostnames: [row.hostname, ...row.domains].map((hostname) => hostname.toLowerCase()),
    accessType: row.access_type,
    endpoints: paused || sleeping ? [] : endpoints,
    paused,
    sleeping,
    wakeFailure: sleeping ? row.wake_failure : null,
    deployed: row.deployed || sleeping,
    version: row.version === null ? 0 : Number(row.version),
  };
}
