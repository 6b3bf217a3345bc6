/**
 * Redis pub/sub channels and stream keys, with the message each carries. Publishers
 * and subscribers parse with these schemas; a subscriber drops (and logs) what fails.
 */
import { z } from 'zod';

export const CHANNELS = {
  /** Route changes the edge applies to its in-memory table. */
  routes: 'slipway:routes',
  /** Revoked Access Keys: the edge reads its keys at once (they stop working). */
  accessKeyRevocations: 'slipway:access-keys:revoked',
  /** New Access Keys: the edge reads its keys at once (they work within milliseconds). */
  accessKeysCreated: 'slipway:access-keys:created',
  /** Revoked service tokens: the collector evicts them from its cache. */
  serviceTokenRevocations: 'slipway:service-tokens:revoked',
  /** The edge holds requests for a sleeping service: the API wakes it (once, however asked). */
  wakeRequests: 'slipway:services:wake',
} as const;

export type ChannelName = (typeof CHANNELS)[keyof typeof CHANNELS];

/** Stream of one build's log lines (XADD by the builder, XREAD by API and CLI). */
export function buildLogStreamKey(deploymentId: string): string {
  if (deploymentId.length === 0) throw new Error('deploymentId: must be non-empty');
  return `slipway:build-logs:${deploymentId}`;
}

const endpoint = z.strictObject({
  host: z.string().min(1),
  port: z.number().int().min(1).max(65535),
});

export const RouteMessageSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('upsert'),
    serviceId: z.string().min(1),
    projectId: z.string().min(1),
    orgId: z.string().min(1),
    hostnames: z.array(z.string().min(1)).min(1),
    accessType: z.enum(['private', 'public']),
    /** Ready instances; empty while paused or scaled to zero. */
    endpoints: z.array(endpoint),
    /** Scaled to zero on purpose (`instances: 0`), as opposed to having no ready instance. */
    paused: z.boolean().optional(),
    /** False while no deployment of the service ever succeeded (absent: it has endpoints). */
    deployed: z.boolean().optional(),
    /**
     * Scaled to zero because it was idle (or waking from that): a request is held while the
     * API wakes it, unlike a paused service's. Absent: false.
     */
    sleeping: z.boolean().optional(),
    /** Why the last wake failed, while the service still sleeps (only with `sleeping`). */
    wakeFailure: z.string().min(1).max(2000).optional(),
    /** Monotonic per service (e.g. epoch ms) so a late message cannot undo a newer one. */
    version: z.number().int().nonnegative(),
  }),
  z.strictObject({
    type: z.literal('delete'),
    serviceId: z.string().min(1),
    version: z.number().int().nonnegative(),
  }),
]);
export type RouteMessage = z.infer<typeof RouteMessageSchema>;

export const RevocationMessageSchema = z.strictObject({
  /** Id of the revoked key or token (never its value). */
  id: z.string().min(1),
  revokedAt: z.iso.datetime(),
});
export type RevocationMessage = z.infer<typeof RevocationMessageSchema>;

/** An Access Key was created or revoked: the edge reads what changed. */
export const KeyChangeMessageSchema = z.strictObject({
  /** Id of the key (never its value). */
  id: z.string().min(1),
  at: z.iso.datetime(),
});
export type KeyChangeMessage = z.infer<typeof KeyChangeMessageSchema>;

/** Fields of one entry in a build log stream. */
export const BuildLogEntrySchema = z.strictObject({
  line: z.string(),
  stream: z.enum(['stdout', 'stderr', 'system']),
  at: z.iso.datetime(),
});
export type BuildLogEntry = z.infer<typeof BuildLogEntrySchema>;

/** The edge asks for a sleeping service to be woken (it is holding requests for it). */
export const WakeRequestSchema = z.strictObject({
  serviceId: z.string().min(1),
  at: z.iso.datetime(),
});
export type WakeRequest = z.infer<typeof WakeRequestSchema>;

/**
 * Each edge's view of the traffic per service, refreshed every second or so in a Redis hash
 * of its own (`edgeActivityKey`, field: service id) that expires when the edge stops
 * refreshing it. The API sums `inFlight` over edges to autoscale and takes the latest
 * `lastRequestAt` to put idle services to sleep.
 */
export const EdgeActivitySchema = z.strictObject({
  /** Requests (and WebSocket tunnels) open now, held ones included. */
  inFlight: z.number().int().nonnegative(),
  /** When this edge last saw a request for the service begin or end (epoch ms). */
  lastRequestAt: z.number().int().nonnegative(),
});
export type EdgeActivity = z.infer<typeof EdgeActivitySchema>;

/** Prefix of the edges' activity hashes: `SCAN` for `${EDGE_ACTIVITY_PREFIX}*`. */
export const EDGE_ACTIVITY_PREFIX = 'slipway:edge-activity:';

export function edgeActivityKey(edgeId: string): string {
  if (!/^[A-Za-z0-9_.-]{1,128}$/.test(edgeId)) throw new Error('edgeId: must be a short token');
  return `${EDGE_ACTIVITY_PREFIX}${edgeId}`;
}
