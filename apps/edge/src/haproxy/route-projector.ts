import type { Logger } from 'pino';
import type { RouteTable } from '../routing/route-table';
import type { HaproxyMaps } from './haproxy-maps';
import { routeMaps } from './maps';

/**
 * Hands the route table to HAProxy's routing maps. Changes reach HAProxy in the order they
 * were taken; a burst of them while one projection runs is one more projection.
 */
export class RouteProjector {
  private running: Promise<void> | null = null;
  private again = false;

  constructor(
    private readonly routes: RouteTable,
    private readonly maps: HaproxyMaps,
    private readonly logger: Logger,
  ) {}

  project(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.loop()
      .catch((error: unknown) => this.logger.error({ err: error }, 'routes not handed to HAProxy'))
      .finally(() => {
        this.running = null;
      });
    return this.running;
  }

  /** Resolves once no projection is running. */
  async settled(): Promise<void> {
    await this.running;
  }

  private async loop(): Promise<void> {
    do {
      this.again = false;
      const desired = routeMaps(this.routes.all(), this.routes.deleted());
      // Services and their endpoints before the hostnames that lead to them.
      await this.maps.sync('services', desired.services);
      await this.maps.sync('endpoints', desired.endpoints);
      await this.maps.sync('hosts', desired.hosts);
    } while (this.again);
  }
}
