import { Injectable, Logger } from '@nestjs/common';
import { EDGE_ACTIVITY_PREFIX, EdgeActivitySchema } from '@slipway/contracts';
import { RedisClient } from '../redis/redis.module';

/** Every edge's view of one service, summed. */
export interface ServiceActivity {
  readonly inFlight: number;
  /** Epoch ms. */
  readonly lastRequestAt: number;
}

export interface ActivitySnapshot {
  /** How many edges reported: with none, nothing can be said about idleness. */
  readonly edges: number;
  readonly services: ReadonlyMap<string, ServiceActivity>;
}

/**
 * Reads the activity hashes the edges refresh in Redis (`EDGE_ACTIVITY_PREFIX` + edge id):
 * in-flight requests add up over edges, the latest request wins. A field that does not
 * parse is skipped and logged, never trusted.
 */
@Injectable()
export class EdgeActivityReader {
  private readonly logger = new Logger(EdgeActivityReader.name);

  constructor(private readonly redis: RedisClient) {}

  async read(): Promise<ActivitySnapshot> {
    const keys = await this.keys();
    const services = new Map<string, ServiceActivity>();
    let edges = 0;
    for (const key of keys) {
      const fields = await this.redis.connection.hgetall(key);
      // Expired between SCAN and HGETALL: that edge has stopped reporting.
      if (Object.keys(fields).length === 0) continue;
      edges += 1;
      for (const [serviceId, raw] of Object.entries(fields)) {
        const parsed = EdgeActivitySchema.safeParse(parseJson(raw));
        if (!parsed.success) {
          this.logger.warn(`edge activity ${key} ${serviceId} ignored: ${parsed.error.message}`);
          continue;
        }
        const seen = services.get(serviceId);
        services.set(serviceId, {
          inFlight: (seen?.inFlight ?? 0) + parsed.data.inFlight,
          lastRequestAt: Math.max(seen?.lastRequestAt ?? 0, parsed.data.lastRequestAt),
        });
      }
    }
    return { edges, services };
  }

  private async keys(): Promise<string[]> {
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, batch] = await this.redis.connection.scan(
        cursor,
        'MATCH',
        `${EDGE_ACTIVITY_PREFIX}*`,
        'COUNT',
        100,
      );
      keys.push(...batch);
      cursor = next;
    } while (cursor !== '0');
    return keys;
  }
}

function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}
