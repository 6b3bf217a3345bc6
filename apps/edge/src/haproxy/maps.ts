import { join } from 'node:path';
import type { Route } from '../routing/route-table';

/**
 * The maps HAProxy routes and authenticates with; the agent owns their content, except
 * `hashes` (presented key → its keyed hash), which HAProxy fills as a cache and the agent empties.
 */
export const MAP_NAMES = ['hosts', 'services', 'endpoints', 'keys', 'hashes', 'state'] as const;
export type MapName = (typeof MAP_NAMES)[number];
export type MapPaths = Readonly<Record<MapName, string>>;
/** One map's content: key → value (neither holds white space). */
export type MapEntries = ReadonlyMap<string, string>;

export const MAP_FIELD_SEPARATOR = '|';
export const ENDPOINT_KEY_SEPARATOR = '#';
/** The `state` map's key holding until when (epoch ms) HAProxy may trust the keys map. */
export const KEYS_VALID_UNTIL = 'keys_valid_until';

export function mapPaths(dir: string): MapPaths {
  return Object.fromEntries(MAP_NAMES.map((name) => [name, join(dir, `${name}.map`)])) as Record<
    MapName,
    string
  >;
}

/**
 * What a service's requests meet before an endpoint is picked; a sleeping service's go to
 * the agent, which holds them while the service wakes.
 */
export type ServiceState = 'ready' | 'paused' | 'sleeping' | 'not_deployed' | 'deleted';

/** The state HAProxy answers a live service's requests by. */
export function serviceState(route: Route): Exclude<ServiceState, 'deleted'> {
  if (!route.deployed) return 'not_deployed';
  if (route.sleeping) return 'sleeping';
  return route.paused ? 'paused' : 'ready';
}

/**
 * The three routing maps for a set of routes: hostname → service id; service id →
 * `access|org|project|state|ready count`; `service id#i` → `ip/port` for each ready instance.
 * Deleted services' hostnames say so, unless a live service has taken one since.
 */
export function routeMaps(
  routes: Iterable<Route>,
  deleted: Iterable<Route> = [],
): Record<'hosts' | 'services' | 'endpoints', Map<string, string>> {
  const hosts = new Map<string, string>();
  const services = new Map<string, string>();
  const endpoints = new Map<string, string>();
  for (const route of deleted) {
    for (const hostname of route.hostnames) {
      hosts.set(hostname, route.serviceId);
      hosts.set(`${hostname}.`, route.serviceId);
    }
    const state: ServiceState = 'deleted';
    services.set(
      route.serviceId,
      [route.accessType, route.orgId, route.projectId, state, 0].join(MAP_FIELD_SEPARATOR),
    );
  }
  for (const route of routes) {
    for (const hostname of route.hostnames) {
      // `Host: name.` is the same name: HAProxy looks it up as sent, without a rewrite.
      hosts.set(hostname, route.serviceId);
      hosts.set(`${hostname}.`, route.serviceId);
    }
    const state = serviceState(route);
    const ready = state === 'ready' ? route.endpoints.length : 0;
    services.set(
      route.serviceId,
      [route.accessType, route.orgId, route.projectId, state, ready].join(MAP_FIELD_SEPARATOR),
    );
    for (let i = 0; i < ready; i += 1) {
      const endpoint = route.endpoints[i];
      if (!endpoint) continue;
      endpoints.set(
        `${route.serviceId}${ENDPOINT_KEY_SEPARATOR}${i}`,
        `${endpoint.host}/${endpoint.port}`,
      );
    }
  }
  return { hosts, services, endpoints };
}

/** An Access Key as HAProxy checks it. */
export interface KeyGrant {
  /** The keyed hash stored by the API (lowercase hex). */
  readonly hash: string;
  readonly orgId: string;
  /** Null for an org-scoped key. */
  readonly projectId: string | null;
  readonly expiresAt: Date | null;
}

export function keyEntry(grant: KeyGrant): [string, string] {
  return [
    grant.hash,
    [grant.orgId, grant.projectId ?? '*', grant.expiresAt?.getTime() ?? 0].join(
      MAP_FIELD_SEPARATOR,
    ),
  ];
}

/** A map file's text: one `key value` line per entry. */
export function mapFileText(entries: MapEntries): string {
  let text = '';
  for (const [key, value] of entries) text += `${key} ${value}\n`;
  return text;
}
