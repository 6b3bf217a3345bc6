/**
 * The API's side of scale to zero, played by a test: it hears the edge's wake requests and
 * answers them with route changes; and the edge's own reports (activity hash, metrics).
 */
import {
  CHANNELS,
  type EdgeActivity,
  EdgeActivitySchema,
  WakeRequestSchema,
  edgeActivityKey,
} from '@slipway/contracts';
import Redis from 'ioredis';
import type { Edge } from '../../src';

export interface ControlPlane {
  /** Wake requests heard for the service so far. */
  heard(serviceId: string): number;
  /**
   * Runs `act` once, on the next wake request heard for the service (later ones are only
   * counted); resolves once it ran.
   */
  onWake(serviceId: string, act: () => Promise<void>): Promise<void>;
  close(): Promise<void>;
}

export async function startControlPlane(redisUrl: string): Promise<ControlPlane> {
  const subscriber = new Redis(redisUrl);
  const heard = new Map<string, number>();
  const actions = new Map<string, () => void>();
  subscriber.on('message', (_channel: string, raw: string) => {
    // Other test files' edges publish here too: only well-formed requests count.
    const parsed = WakeRequestSchema.safeParse(JSON.parse(raw));
    if (!parsed.success) return;
    const { serviceId } = parsed.data;
    heard.set(serviceId, (heard.get(serviceId) ?? 0) + 1);
    const act = actions.get(serviceId);
    actions.delete(serviceId);
    act?.();
  });
  await subscriber.subscribe(CHANNELS.wakeRequests);
  return {
    heard: (serviceId) => heard.get(serviceId) ?? 0,
    onWake(serviceId, act) {
      return new Promise<void>((resolve, reject) => {
        actions.set(serviceId, () => {
          act().then(resolve, reject);
        });
      });
    },
    async close() {
      await subscriber.quit();
    },
  };
}

/** The edge's activity hash in Redis. */
export async function activityHash(
  redisUrl: string,
  edgeId: string,
): Promise<{ fields: Map<string, EdgeActivity>; ttlMs: number }> {
  const redis = new Redis(redisUrl);
  try {
    const key = edgeActivityKey(edgeId);
    const [raw, ttlMs] = await Promise.all([redis.hgetall(key), redis.pttl(key)]);
    const fields = new Map<string, EdgeActivity>();
    for (const [field, value] of Object.entries(raw)) {
      fields.set(field, EdgeActivitySchema.parse(JSON.parse(value)));
    }
    return { fields, ttlMs };
  } finally {
    redis.disconnect();
  }
}

/** One sample of the edge's `/metrics`, 0 when the series is absent. */
export async function metric(edge: Edge, name: string, labels: string): Promise<number> {
  const text = await (await fetch(`${edge.adminUrl}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name}{${labels}}`));
  return line === undefined ? 0 : Number(line.split(' ').pop());
}
