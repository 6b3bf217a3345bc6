import { TOKEN_PREFIX, credentialHasher } from '@slipway/contracts';
import { names, services } from '@slipway/db-schema';
import type { Pool } from 'pg';

const s = names(services);

export interface ServiceTokenAuthOptions {
  readonly secretKey: string;
  /** How long a token that matched a service is trusted without asking the database. */
  readonly positiveTtlMs?: number;
  /** How long an unknown token is refused without asking the database. */
  readonly negativeTtlMs?: number;
  /** Most tokens remembered; the oldest are forgotten first. */
  readonly maxEntries?: number;
  readonly now?: () => number;
}

interface CacheEntry {
  readonly serviceId: string | null;
  readonly expiresAt: number;
}

/**
 * Service token → service id. A token matches a service's current hash, or its previous one
 * while that is in its rotation grace period. Answers are cached briefly, both ways, and
 * concurrent lookups of one token share a query, so a flood of requests (or of bad tokens)
 * costs the database at most one query per distinct token per TTL.
 */
export class ServiceTokenAuth {
  private readonly hash: (value: string) => string;
  private readonly cache = new Map<string, CacheEntry>();
  private readonly inFlight = new Map<string, Promise<string | null>>();
  private readonly positiveTtlMs: number;
  private readonly negativeTtlMs: number;
  private readonly maxEntries: number;
  private readonly now: () => number;

  constructor(
    private readonly pool: Pool,
    options: ServiceTokenAuthOptions,
  ) {
    this.hash = credentialHasher(options.secretKey);
    this.positiveTtlMs = options.positiveTtlMs ?? 5000;
    this.negativeTtlMs = options.negativeTtlMs ?? 1000;
    this.maxEntries = options.maxEntries ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  /** The service id, or null when the token is not a live service token. */
  async serviceFor(token: string): Promise<string | null> {
    // Not a service token at all: no need to hash or ask anyone.
    if (!token.startsWith(TOKEN_PREFIX.serviceToken) || token.length > 256) return null;
    const tokenHash = this.hash(token);
    const cached = this.cache.get(tokenHash);
    if (cached && cached.expiresAt > this.now()) return cached.serviceId;

    const pending = this.inFlight.get(tokenHash);
    if (pending) return pending;
    const lookup = this.lookup(tokenHash).finally(() => this.inFlight.delete(tokenHash));
    this.inFlight.set(tokenHash, lookup);
    return lookup;
  }

  private async lookup(tokenHash: string): Promise<string | null> {
    const result = await this.pool.query<{ id: string }>(
      `SELECT ${s.id} FROM ${services.name}
        WHERE ${s.token_hash} = $1
           OR (${s.previous_token_hash} = $1 AND ${s.previous_token_expires_at} > now())
        LIMIT 1`,
      [tokenHash],
    );
    const serviceId = result.rows[0]?.id ?? null;
    this.remember(tokenHash, serviceId);
    return serviceId;
  }

  private remember(tokenHash: string, serviceId: string | null): void {
    this.cache.delete(tokenHash);
    if (this.cache.size >= this.maxEntries) {
      const oldest = this.cache.keys().next();
      if (!oldest.done) this.cache.delete(oldest.value);
    }
    const ttl = serviceId ? this.positiveTtlMs : this.negativeTtlMs;
    this.cache.set(tokenHash, { serviceId, expiresAt: this.now() + ttl });
  }
}
