import { setTimeout as sleep } from 'node:timers/promises';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '../config/config.module';
import { type AppConfig } from '../config/config.schema';
import { RoutesService } from '../routes/routes.service';
import { type Endpoint } from '../runtime/runtime-driver';

/**
 * Moves a service's route in the middle of a change: a stateful rollout takes each instance
 * out of the route (and waits out `runtime.drainSeconds`, as the edge finishes its requests)
 * before stopping it, and puts its replacement in once it is ready.
 */
@Injectable()
export class TrafficShift {
  constructor(
    private readonly routes: RoutesService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The `reroute` a runtime calls for `serviceId` (see RolloutOptions). */
  forService(serviceId: string): (endpoints: readonly Endpoint[]) => Promise<void> {
    return async (endpoints) => {
      const route = await this.routes.record(serviceId, endpoints);
      if (route) await this.routes.publish(route);
      await sleep(this.config.runtime.drainSeconds * 1000);
    };
  }
}
