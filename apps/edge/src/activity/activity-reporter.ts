import { edgeActivityKey } from '@slipway/contracts';
import type Redis from 'ioredis';
import type { Logger } from 'pino';
import type { RuntimeApi } from '../haproxy/runtime-api';
import { ActivityTracker, parseStickTable } from './service-activity';

export interface ActivityReporterOptions {
  readonly edgeId: string;
  readonly intervalMs: number;
  /** The HAProxy stick table requests are tracked in, and its `expire`. */
  readonly table: string;
  readonly tableExpireMs: number;
}

/** Intervals the hash outlives its last write: a stopped edge's view vanishes after them. */
export const ACTIVITY_TTL_INTERVALS = 5;

/**
 * A field that is no service id, always written (a valid EdgeActivity of nothing): Redis
 * holds no empty hash, and an edge that saw no traffic lately still reports, so the API
 * can tell "idle" from "no edge reporting".
 */
export const EDGE_HEARTBEAT_FIELD = '_edge';
const HEARTBEAT = JSON.stringify({ inFlight: 0, lastRequestAt: 0 });

/**
 * Every interval, reads HAProxy's per-service request counters and rewrites this edge's
 * activity hash in Redis (one field per service with traffic within the table's expiry:
 * JSON `{inFlight, lastRequestAt}`, and the heartbeat field), which expires unless written
 * again. Held requests are streams HAProxy tracks like any other, so `inFlight` counts them.
 */
export class ActivityReporter {
  private readonly key: string;
  private readonly tracker: ActivityTracker;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private failing = false;

  constructor(
    private readonly api: RuntimeApi,
    private readonly redis: Redis,
    private readonly options: ActivityReporterOptions,
    private readonly logger: Logger,
  ) {
    this.key = edgeActivityKey(options.edgeId);
    this.tracker = new ActivityTracker(options.tableExpireMs);
  }

  start(): void {
    this.schedule();
  }

  /** Reads and writes once now. */
  async report(): Promise<void> {
    const entries = parseStickTable(await this.api.execute(`show table ${this.options.table}`));
    const activity = this.tracker.update(entries, Date.now());
    const fields: string[] = [EDGE_HEARTBEAT_FIELD, HEARTBEAT];
    for (const [serviceId, value] of activity) fields.push(serviceId, JSON.stringify(value));
    // Replaced whole, so services that went quiet leave the hash.
    const results = await this.redis
      .multi()
      .del(this.key)
      .hset(this.key, ...fields)
      .pexpire(this.key, this.options.intervalMs * ACTIVITY_TTL_INTERVALS)
      .exec();
    const failed = results?.find(([error]) => error !== null)?.[0];
    if (failed) throw failed;
  }

  /** Stops reporting; `removeKey` (a full stop) deletes the hash rather than let it expire. */
  async stop(removeKey: boolean): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
    if (removeKey) await this.redis.del(this.key).catch(() => undefined);
  }

  private schedule(): void {
    this.timer = setTimeout(() => {
      this.running = this.report()
        .then(() => {
          if (this.failing) this.logger.info('activity reported again');
          this.failing = false;
        })
        .catch((error: unknown) => {
          // Once per failing streak: HAProxy restarting or Redis down lasts many intervals.
          if (!this.failing) this.logger.warn({ err: error }, 'activity not reported');
          this.failing = true;
        })
        .finally(() => {
          this.running = undefined;
          if (this.timer) this.schedule();
        });
    }, this.options.intervalMs);
    this.timer.unref();
  }
}
