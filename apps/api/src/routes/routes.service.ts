import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { CHANNELS, RouteMessageSchema, type RouteMessage } from '@slipway/contracts';
import { DataSource, type EntityManager } from 'typeorm';
import { RedisClient } from '../redis/redis.module';
import { Service } from '../services/service.entity';
import { ServiceRoute, type RouteEndpoint } from './service-route.entity';

/**
 * Records where a service's traffic goes and tells the edge. PostgreSQL holds the truth
 * (the edge loads it at start and resyncs); the Redis message is the fast path.
 */
@Injectable()
export class RoutesService {
  private readonly logger = new Logger(RoutesService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly redis: RedisClient,
  ) {}

  async find(serviceId: string): Promise<ServiceRoute | null> {
    return this.dataSource.getRepository(ServiceRoute).findOne({ where: { serviceId } });
  }

  /** Points the service's route at `endpoints` (of `deploymentId`, when known). */
  async switchTo(
    serviceId: string,
    endpoints: readonly RouteEndpoint[],
    deploymentId?: string,
  ): Promise<void> {
    const message = await this.record(serviceId, endpoints, deploymentId);
    if (message) await this.publish(message);
  }

  /**
   * Stores the route (in `manager`'s transaction when given) and answers the message that
   * tells the edge; publish it once the transaction committed. None: the service is gone.
   */
  async record(
    serviceId: string,
    endpoints: readonly RouteEndpoint[],
    deploymentId?: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<RouteMessage | undefined> {
    const service = await manager.getRepository(Service).findOne({ where: { id: serviceId } });
    if (!service) return undefined;
    const rows = await manager.query<{ version: string }[]>(
      `INSERT INTO service_routes (service_id, deployment_id, endpoints, version, updated_at)
       VALUES ($1, $2, $3::jsonb, $4, now())
       ON CONFLICT (service_id) DO UPDATE SET
         deployment_id = COALESCE($2, service_routes.deployment_id),
         endpoints = EXCLUDED.endpoints,
         version = GREATEST(EXCLUDED.version, service_routes.version + 1),
         updated_at = now()
       RETURNING version`,
      [serviceId, deploymentId ?? null, JSON.stringify(endpoints), Date.now()],
    );
    return upsertOf(service, endpoints, Number(rows[0]?.version ?? Date.now()));
  }

  /**
   * Publishes the route again after the service changed (created, access type, domains). A
   * service never deployed has no route row: the edge learns its hostname, to answer "not
   * deployed" (after the access check, for a private one).
   */
  async republish(serviceId: string): Promise<void> {
    const route = await this.find(serviceId);
    if (route) {
      await this.switchTo(serviceId, route.endpoints);
      return;
    }
    const service = await this.dataSource
      .getRepository(Service)
      .findOne({ where: { id: serviceId } });
    if (!service) return;
    // The edge's full reads use the same version for a service without a route, so a lost
    // message is repaired by the next one; a first deployment records a later time.
    await this.publish(upsertOf(service, null, service.updatedAt.getTime()));
  }

  /** Forgets the route (the service is going away). */
  async remove(serviceId: string): Promise<void> {
    await this.dataSource.getRepository(ServiceRoute).delete({ serviceId });
    await this.publish({ type: 'delete', serviceId, version: Date.now() });
  }

  /** A lost message is repaired by the edge's periodic resync from PostgreSQL. */
  async publish(message: RouteMessage): Promise<void> {
    try {
      await this.redis.connection.publish(
        CHANNELS.routes,
        JSON.stringify(RouteMessageSchema.parse(message)),
      );
    } catch (error) {
      this.logger.warn(
        `route change for ${message.serviceId} not published: ${(error as Error).message}`,
      );
    }
  }
}

/** The message for a service's route; `endpoints` null while it was never deployed. */
function upsertOf(
  service: Service,
  endpoints: readonly RouteEndpoint[] | null,
  version: number,
): RouteMessage {
  // Waking is still asleep to the edge: it holds requests until the instances are ready.
  const asleep = (service.asleep || service.status === 'waking') && !endpoints?.length;
  return {
    type: 'upsert',
    serviceId: service.id,
    projectId: service.projectId,
    orgId: service.orgId,
    // Custom domains route exactly like the generated hostname; one dropped from the list
    // leaves the edge's table with this message.
    hostnames: [service.hostname, ...service.domains],
    accessType: service.accessType,
    endpoints: (endpoints ?? []).map((e) => ({ host: e.host, port: e.port })),
    paused: service.instances === 0 && !asleep,
    deployed: endpoints !== null,
    ...(asleep && { sleeping: true }),
    ...(asleep && service.wakeFailure !== null && { wakeFailure: service.wakeFailure }),
    version,
  };
}
