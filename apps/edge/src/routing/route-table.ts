import type { RouteMessage } from '@slipway/contracts';

export interface Endpoint {
  readonly host: string;
  readonly port: number;
}

/** Where one service's traffic goes, as the edge needs it on the hot path. */
export interface Route {
  readonly serviceId: string;
  readonly orgId: string;
  readonly projectId: string;
  readonly hostnames: readonly string[];
  readonly accessType: 'private' | 'public';
  /** Ready instances; each request goes to one picked at random. */
  readonly endpoints: readonly Endpoint[];
  /** Scaled to zero on purpose: answered "paused" rather than "no ready instance". */
  readonly paused: boolean;
  /**
   * Scaled to zero because idle (or waking from that): no endpoints, and requests are held by
   * the agent while the API wakes it. Never also `paused`.
   */
  readonly sleeping: boolean;
  /** Why the last wake failed, while it still sleeps: requests are answered with it at once. */
  readonly wakeFailure: string | null;
  /** Whether a deployment ever succeeded: answered "not deployed" rather than "no ready instance". */
  readonly deployed: boolean;
  readonly version: number;
}

/**
 * Deleted services whose hostnames answer "deleted" (503) rather than "unknown host": the
 * newest this many, for the life of the process.
 */
export const MAX_TOMBSTONES = 10_000;

interface Entry {
  route: Route | null;
  version: number;
  /** Value of `RouteTable.sequence` when this entry last changed (see `replaceAll`). */
  changedAt: number;
}

/**
 * The in-memory route table: hostname → service → ready endpoints. Every change carries the
 * service's version; a change older than what the table holds is ignored, so a late message
 * cannot undo a newer one. Deleted services keep a tombstone with the deleting version, and
 * their last route (no endpoints) so their hostnames can say the service was deleted.
 */
export class RouteTable {
  private readonly services = new Map<string, Entry>();
  private readonly hosts = new Map<string, Entry>();
  /** Service id → its route when deleted, oldest first. */
  private readonly deletedRoutes = new Map<string, Route>();
  private sequence = 0;

  get size(): number {
    return this.hosts.size;
  }

  /** A position to hand to `replaceAll` when a snapshot read begins. */
  mark(): number {
    return this.sequence;
  }

  lookup(hostname: string): Route | undefined {
    return this.hosts.get(hostname)?.route ?? undefined;
  }

  /** A service's route by its id. */
  get(serviceId: string): Route | undefined {
    return this.services.get(serviceId)?.route ?? undefined;
  }

  /** Whether the service was deleted (and its tombstone is still kept). */
  wasDeleted(serviceId: string): boolean {
    return this.deletedRoutes.has(serviceId);
  }

  /** Every service's route. */
  *all(): IterableIterator<Route> {
    for (const entry of this.services.values()) if (entry.route) yield entry.route;
  }

  /** The last routes of deleted services (no endpoints), oldest first. */
  deleted(): IterableIterator<Route> {
    return this.deletedRoutes.values();
  }

  /** Applies a published change; returns whether it was newer than what the table held. */
  apply(message: RouteMessage): boolean {
    if (message.type === 'upsert') {
      return this.set(message.serviceId, routeFromMessage(message), message.version, false);
    }
    const last = this.services.get(message.serviceId)?.route;
    if (!this.set(message.serviceId, null, message.version, false)) return false;
    if (last) {
      this.deletedRoutes.delete(message.serviceId);
      this.deletedRoutes.set(message.serviceId, { ...last, endpoints: [] });
      const oldest = this.deletedRoutes.keys().next();
      if (this.deletedRoutes.size > MAX_TOMBSTONES && !oldest.done) {
        this.deletedRoutes.delete(oldest.value);
      }
    }
    return true;
  }

  /**
   * Replaces the table with a snapshot from PostgreSQL. A snapshot row of the same version
   * as the table's wins (the database is the truth for fields that change without a new
   * version, such as access type); services missing from the snapshot are dropped unless a
   * message changed them after `since` (they may be newer than the snapshot's read).
   */
  replaceAll(routes: readonly Route[], since: number): void {
    const seen = new Set<string>();
    for (const route of routes) {
      seen.add(route.serviceId);
      this.set(route.serviceId, route, route.version, true);
    }
    for (const [serviceId, entry] of this.services) {
      if (seen.has(serviceId) || entry.changedAt > since) continue;
      this.drop(serviceId, entry);
    }
  }

  private set(serviceId: string, route: Route | null, version: number, orEqual: boolean): boolean {
    const current = this.services.get(serviceId);
    if (current && (orEqual ? version < current.version : version <= current.version)) {
      return false;
    }
    if (current) this.unindex(current);
    this.sequence += 1;
    const entry: Entry = { route, version, changedAt: this.sequence };
    this.services.set(serviceId, entry);
    if (route) this.deletedRoutes.delete(serviceId);
    for (const hostname of route?.hostnames ?? []) this.hosts.set(hostname, entry);
    return true;
  }

  private drop(serviceId: string, entry: Entry): void {
    this.unindex(entry);
    this.services.delete(serviceId);
  }

  private unindex(entry: Entry): void {
    for (const hostname of entry.route?.hostnames ?? []) {
      if (this.hosts.get(hostname) === entry) this.hosts.delete(hostname);
    }
  }
}

function routeFromMessage(message: Extract<RouteMessage, { type: 'upsert' }>): Route {
  const sleeping = message.sleeping ?? false;
  return {
    serviceId: message.serviceId,
    orgId: message.orgId,
    projectId: message.projectId,
    hostnames: message.hostnames.map((h) => h.toLowerCase()),
    accessType: message.accessType,
    endpoints: sleeping ? [] : message.endpoints,
    paused: !sleeping && (message.paused ?? false),
    sleeping,
    wakeFailure: sleeping ? (message.wakeFailure ?? null) : null,
    // Older publishers did not say; a route with instances (or asleep) has been deployed.
    deployed: message.deployed ?? (message.endpoints.length > 0 || sleeping),
    version: message.version,
  };
}
