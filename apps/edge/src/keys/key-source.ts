import { accessKeys, names, type RowOf } from '@slipway/db-schema';
import type { Pool } from 'pg';
import type { Logger } from 'pino';
import type { HaproxyMaps } from '../haproxy/haproxy-maps';
import { KEYS_VALID_UNTIL, type KeyGrant, keyEntry } from '../haproxy/maps';

export interface KeySourceOptions {
  /** How often changes are read from PostgreSQL. */
  readonly pollIntervalMs: number;
  /** How long after a successful read HAProxy may trust the keys map (then: 503). */
  readonly trustForMs: number;
  /** How often every key is read again (keys deleted with their project leave no trace to poll). */
  readonly fullReadIntervalMs: number;
}

type KeyRow = Pick<
  RowOf<typeof accessKeys>,
  'key_hash' | 'org_id' | 'project_id' | 'expires_at' | 'revoked_at'
>;

const k = names(accessKeys);
const KEY_COLUMNS = [k.key_hash, k.org_id, k.project_id, k.expires_at, k.revoked_at].join(', ');
const LIVE_KEYS = `SELECT ${KEY_COLUMNS} FROM ${accessKeys.name}
  WHERE ${k.revoked_at} IS NULL AND (${k.expires_at} IS NULL OR ${k.expires_at} > now())`;
// Rows created or revoked since the last read, with a margin for transactions that committed late.
const CHANGED_KEYS = `SELECT ${KEY_COLUMNS}, now() AS read_at
  FROM ${accessKeys.name} WHERE ${k.created_at} > $1 OR ${k.revoked_at} > $1`;
const COMMIT_MARGIN_MS = 5000;

/**
 * Keeps HAProxy's keys map (keyed hash → scope) in step with `access_keys`: all live keys at
 * start and periodically, the changes every `pollIntervalMs` in between (so a revoked key is
 * refused within a second even when Redis is down), and a read at once when the API announces
 * a revocation. After each successful read HAProxy is told until when it may trust the map;
 * if reads stop, private services answer 503 rather than trust stale keys.
 */
export class KeySource {
  private timer: NodeJS.Timeout | undefined;
  private lastRead: Date | undefined;
  private lastFullRead = 0;
  private reading: Promise<void> | null = null;
  private stopped = false;

  constructor(
    private readonly pool: Pool,
    private readonly maps: HaproxyMaps,
    private readonly options: KeySourceOptions,
    private readonly logger: Logger,
  ) {}

  /** Every live key, as HAProxy's map file holds it at start. */
  async snapshot(): Promise<Map<string, string>> {
    const startedAt = Date.now();
    const { rows } = await this.pool.query<KeyRow & { read_at: Date }>(
      `SELECT *, now() AS read_at FROM (${LIVE_KEYS}) AS live`,
    );
    this.lastRead = new Date((rows[0]?.read_at ?? new Date()).getTime() - COMMIT_MARGIN_MS);
    this.lastFullRead = startedAt;
    return new Map(rows.map((row) => keyEntry(grantOf(row))));
  }

  /** How long HAProxy may trust what it was just given. */
  validUntil(readStartedAt = Date.now()): [string, string] {
    return [KEYS_VALID_UNTIL, String(readStartedAt + this.options.trustForMs)];
  }

  start(): void {
    this.stopped = false;
    const tick = (): void => {
      this.timer = setTimeout(() => {
        this.refresh()
          .catch((error: unknown) => this.logger.warn({ err: error }, 'Access Key refresh failed'))
          .finally(() => {
            if (!this.stopped) tick();
          });
      }, this.options.pollIntervalMs);
      this.timer.unref();
    };
    tick();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  /** Reads what changed now (a revocation was announced); concurrent calls share one read. */
  refresh(): Promise<void> {
    this.reading ??= this.read().finally(() => {
      this.reading = null;
    });
    return this.reading;
  }

  private async read(): Promise<void> {
    const startedAt = Date.now();
    if (!this.lastRead || startedAt - this.lastFullRead >= this.options.fullReadIntervalMs) {
      const all = await this.snapshot();
      await this.maps.sync('keys', all);
      // Remembered hashes of keys no longer valid go too; HAProxy refills it with those in use.
      await this.maps.clear('hashes');
    } else {
      const { rows } = await this.pool.query<KeyRow & { read_at: Date }>(CHANGED_KEYS, [
        this.lastRead,
      ]);
      const set: [string, string][] = [];
      const deleted: string[] = [];
      for (const row of rows) {
        const grant = grantOf(row);
        if (row.revoked_at || (grant.expiresAt && grant.expiresAt.getTime() <= startedAt)) {
          deleted.push(grant.hash);
        } else {
          set.push(keyEntry(grant));
        }
      }
      await this.maps.update('keys', { set, delete: deleted });
      const readAt = rows[0]?.read_at;
      if (readAt) this.lastRead = new Date(readAt.getTime() - COMMIT_MARGIN_MS);
      else
        this.lastRead = new Date(Math.max(this.lastRead.getTime(), startedAt - COMMIT_MARGIN_MS));
    }
    await this.maps.update('state', { set: [this.validUntil(startedAt)] });
  }
}

function grantOf(row: KeyRow): KeyGrant {
  return {
    hash: row.key_hash.trim().toLowerCase(),
    orgId: row.org_id,
    projectId: row.project_id,
    expiresAt: row.expires_at,
  };
}
