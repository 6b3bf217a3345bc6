import { TOKEN_PREFIX, RevocationMessageSchema, credentialHasher } from '@slipway/contracts';
import type { Pool } from 'pg';
import type { Logger } from 'pino';

/** What the edge knows about a valid Access Key. */
export interface VerifiedKey {
  readonly id: string;
  readonly orgId: string;
  /** Null for an org-scoped key. */
  readonly projectId: string | null;
}

export type Verification =
  | { readonly ok: true; readonly key: VerifiedKey }
  | { readonly ok: false; readonly reason: 'unknown' | 'revoked' | 'expired' };

interface KeyRow {
  id: string;
  org_id: string;
  project_id: string | null;
  expires_at: Date | null;
  revoked_at: Date | null;
}

interface CacheEntry {
  readonly verification: Verification;
  readonly expiresAt: Date | null;
  readonly storedAt: number;
}

export interface AccessKeyVerifierOptions {
  readonly secretKey: string;
  /** How long a valid key is trusted without asking the database again. */
  readonly cacheTtlMs: number;
  /** How long an unknown key is remembered, so a flood of guesses does not reach the database. */
  readonly negativeTtlMs?: number;
  readonly maxEntries?: number;
}

const DEFAULT_NEGATIVE_TTL_MS = 5000;
const DEFAULT_MAX_ENTRIES = 10_000;
/** Revocations seen on the channel, kept long enough to outlive any lookup already in flight. */
const REVOKED_MEMORY_MS = 60_000;

/**
 * Verifies Access Keys by their keyed hash (the shared credential hasher), caching results
 * so the hot path seldom reaches the database. A valid key is trusted for `cacheTtlMs` (at
 * most one second), refreshed in the background once half of that has passed, so a revoked
 * key stops working within a second even if its revocation message is lost; a revocation
 * message evicts the key at once.
 *
 * The cache is keyed by the key as presented, so a hit costs a map lookup rather than an
 * HMAC and answers synchronously. Entries live in this process's memory only, bounded by
 * `maxEntries`, like the request that carried the key.
 */
export class AccessKeyVerifier {
  private readonly hash: (value: string) => string;
  private readonly cache = new Map<string, CacheEntry>();
  private readonly inFlight = new Map<string, Promise<Verification>>();
  private readonly recentlyRevoked = new Map<string, number>();
  private readonly negativeTtlMs: number;
  private readonly maxEntries: number;

  constructor(
    private readonly pool: Pool,
    private readonly options: AccessKeyVerifierOptions,
    private readonly logger: Logger,
  ) {
    this.hash = credentialHasher(options.secretKey);
    this.negativeTtlMs = options.negativeTtlMs ?? DEFAULT_NEGATIVE_TTL_MS;
    this.maxEntries = options.maxEntries ?? DEFAULT_MAX_ENTRIES;
  }

  /** Whether `value` has the Access Key format; anything else is refused without a lookup. */
  static looksLikeKey(value: string): boolean {
    return value.startsWith(TOKEN_PREFIX.accessKey) && /^[A-Za-z0-9_-]{8,200}$/.test(value);
  }

  /** The answer at once when the cache has it, else a promise of the database's. */
  verify(plaintext: string, now = Date.now()): Verification | Promise<Verification> {
    const cached = this.cache.get(plaintext);
    if (cached) {
      const ttl = cached.verification.ok ? this.options.cacheTtlMs : this.negativeTtlMs;
      const age = now - cached.storedAt;
      if (age < ttl) {
        if (cached.verification.ok && age >= ttl / 2) this.refresh(plaintext);
        return this.checked(cached, now);
      }
      this.cache.delete(plaintext);
    }
    return this.lookup(plaintext);
  }

  /** Applies one message from the revocations channel. */
  handleRevocation(payload: string): void {
    let json: unknown;
    try {
      json = JSON.parse(payload);
    } catch {
      this.logger.warn('dropped a revocation message that is not JSON');
      return;
    }
    const parsed = RevocationMessageSchema.safeParse(json);
    if (!parsed.success) {
      this.logger.warn({ issues: parsed.error.issues }, 'dropped an invalid revocation message');
      return;
    }
    this.evict(parsed.data.id);
  }

  /** Drops the key from the cache and refuses it from lookups already in flight. */
  evict(keyId: string): void {
    const now = Date.now();
    this.recentlyRevoked.set(keyId, now);
    for (const [id, at] of this.recentlyRevoked) {
      if (now - at > REVOKED_MEMORY_MS) this.recentlyRevoked.delete(id);
    }
    for (const [plaintext, entry] of this.cache) {
      if (entry.verification.ok && entry.verification.key.id === keyId)
        this.cache.delete(plaintext);
    }
  }

  /** Forgets every cached result (after a Redis reconnect: revocations may have been missed). */
  clear(): void {
    this.cache.clear();
  }

  private checked(entry: CacheEntry, now: number): Verification {
    const { verification } = entry;
    if (!verification.ok) return verification;
    if (this.recentlyRevoked.has(verification.key.id)) return { ok: false, reason: 'revoked' };
    if (entry.expiresAt && entry.expiresAt.getTime() <= now)
      return { ok: false, reason: 'expired' };
    return verification;
  }

  private refresh(plaintext: string): void {
    if (this.inFlight.has(plaintext)) return;
    this.lookup(plaintext).catch((error: unknown) =>
      this.logger.warn({ err: error }, 'Access Key refresh failed'),
    );
  }

  private lookup(plaintext: string): Promise<Verification> {
    const pending = this.inFlight.get(plaintext);
    if (pending) return pending;
    const promise = this.query(plaintext).finally(() => this.inFlight.delete(plaintext));
    this.inFlight.set(plaintext, promise);
    return promise;
  }

  private async query(plaintext: string): Promise<Verification> {
    const startedAt = Date.now();
    const { rows } = await this.pool.query<KeyRow>(
      'SELECT id, org_id, project_id, expires_at, revoked_at FROM access_keys WHERE key_hash = $1',
      [this.hash(plaintext)],
    );
    const row = rows[0];
    const entry: CacheEntry = {
      verification: verificationOf(row),
      expiresAt: row?.expires_at ?? null,
      storedAt: startedAt,
    };
    this.store(plaintext, entry);
    return this.checked(entry, Date.now());
  }

  private store(plaintext: string, entry: CacheEntry): void {
    this.cache.delete(plaintext);
    if (this.cache.size >= this.maxEntries) {
      // Maps iterate in insertion order: the first key is the oldest stored.
      const oldest = this.cache.keys().next();
      if (!oldest.done) this.cache.delete(oldest.value);
    }
    this.cache.set(plaintext, entry);
  }
}

function verificationOf(row: KeyRow | undefined): Verification {
  if (!row) return { ok: false, reason: 'unknown' };
  if (row.revoked_at) return { ok: false, reason: 'revoked' };
  return { ok: true, key: { id: row.id, orgId: row.org_id, projectId: row.project_id } };
}

/** Whether the key may call a service of this org and project. */
export function keyMayCall(
  key: VerifiedKey,
  service: { readonly orgId: string; readonly projectId: string },
): boolean {
  return (
    key.orgId === service.orgId && (key.projectId === null || key.projectId === service.projectId)
  );
}
