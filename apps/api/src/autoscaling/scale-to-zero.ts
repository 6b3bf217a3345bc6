import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { type Deployment } from '../deployments/deployment.entity';
import { desiredInstances } from '../deployments/service-spec.factory';
import { OperationsService } from '../operations/operations.service';
import { ServiceOperation } from '../operations/service-operation.entity';
import { RoutesService } from '../routes/routes.service';
import { Service } from '../services/service.entity';
import { type ServiceActivity } from './edge-activity';

/** After a failed wake, requests are answered with its reason for this long before a retry. */
export const WAKE_RETRY_MS = 10_000;
/** How often a wake waiting for the service's other change to end tries again. */
const WAKE_RECHECK_MS = 200;

/** A serving service that may sleep, with when it was last active as PostgreSQL knows it. */
export interface SleepCandidate {
  readonly id: string;
  readonly idleTimeoutSeconds: number;
  /** The latest of: a request an edge reported, going live, an operation ending. */
  readonly lastActiveAt: Date;
}

/**
 * Puts idle services with `min_replicas` 0 to sleep (a scale to 0 the platform decides, so
 * it serialises with deploys) and wakes them when an edge holds a request for one. Both are
 * decided again under the service's row lock: a request, deploy or user's scale that came
 * in between wins.
 */
@Injectable()
export class ScaleToZero {
  private readonly logger = new Logger(ScaleToZero.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly operations: OperationsService,
    private readonly routes: RoutesService,
  ) {}

  /** Sleeps `candidate` when no request is in flight and none came for its idle timeout. */
  async sleepIfIdle(
    candidate: SleepCandidate,
    activity: ServiceActivity | undefined,
    now: number,
  ): Promise<boolean> {
    if ((activity?.inFlight ?? 0) > 0) return false;
    const idleSince = Math.max(candidate.lastActiveAt.getTime(), activity?.lastRequestAt ?? 0);
    const idleMs = candidate.idleTimeoutSeconds * 1000;
    if (now - idleSince < idleMs) return false;
    const operation = await this.operations.scaleForPlatform(
      candidate.id,
      'idle',
      `no request for ${candidate.idleTimeoutSeconds} s`,
      (service, live) => Promise.resolve(mayFallAsleep(service, live, now - idleMs) ? 0 : null),
    );
    if (operation) this.logger.log(`service ${candidate.id} is going to sleep (idle)`);
    return operation !== null;
  }

  /**
   * Wakes a sleeping service, once however many edges ask: its status reads `waking` at
   * once, and the edge (told the last failure is cleared) keeps holding its requests.
   */
  async wake(serviceId: string): Promise<boolean> {
    const operation = await this.operations.scaleForPlatform(
      serviceId,
      'wake',
      'a request arrived while it slept',
      (service, live, manager) => this.wakeCount(service, live, manager),
    );
    if (!operation) return false;
    this.logger.log(`service ${serviceId} is waking`);
    await this.routes.republish(serviceId);
    return true;
  }

  /**
   * `wake`, tried again while another change of the service (its going to sleep, most
   * often) holds it: the edge holds the requests meanwhile, so the wake should start the
   * moment it can, not at the edge's next ask. Gives up once the service is no longer
   * asleep, its last wake failed, or `timeoutMs` passed.
   */
  async wakeWhenFree(serviceId: string, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (await this.wake(serviceId)) return true;
      const service = await this.dataSource.getRepository(Service).findOneBy({ id: serviceId });
      const waiting = service?.asleep === true && service.wakeFailure === null;
      if (!waiting || Date.now() > deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, WAKE_RECHECK_MS));
    }
  }

  private async wakeCount(
    service: Service,
    live: Deployment,
    manager: EntityManager,
  ): Promise<number | null> {
    if (!service.asleep || service.instances !== 0) return null;
    if (service.wakeFailure !== null) {
      const lastWake = await manager.getRepository(ServiceOperation).findOne({
        where: { serviceId: service.id, cause: 'wake' },
        order: { startedAt: 'DESC' },
      });
      const failedAt = lastWake?.endedAt?.getTime() ?? 0;
      if (Date.now() - failedAt < WAKE_RETRY_MS) return null;
    }
    await manager
      .getRepository(Service)
      .update({ id: service.id }, { wakeFailure: null, status: 'waking', statusReason: null });
    return desiredInstances(live.settings, null);
  }
}

/** Under the row lock: still serving, allowed to sleep, and no request recorded since `before`. */
function mayFallAsleep(service: Service, live: Deployment, before: number): boolean {
  return (
    (service.status === 'running' || service.status === 'degraded') &&
    !service.asleep &&
    service.instances !== 0 &&
    live.settings.autoscaling?.minReplicas === 0 &&
    (service.lastRequestAt === null || service.lastRequestAt.getTime() <= before)
  );
}
