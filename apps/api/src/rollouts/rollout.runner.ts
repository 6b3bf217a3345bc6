import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type DeploymentStatus } from '@slipway/contracts';
import { DataSource, type EntityManager } from 'typeorm';
import { APP_CONFIG } from '../config/config.module';
import { type AppConfig } from '../config/config.schema';
import { Deployment } from '../deployments/deployment.entity';
import { DeploymentsService } from '../deployments/deployments.service';
import { RoutesService } from '../routes/routes.service';
import {
  RUNTIME_DRIVER,
  RolloutCancelledError,
  RolloutFailedError,
  type RuntimeDriver,
} from '../runtime/runtime-driver';
import { Service } from '../services/service.entity';
import { Retirements } from './retirements';
import { TrafficShift } from './traffic-shift';
import { acquireServiceLock, releaseServiceLock } from './service-lock';
import { ServiceStatusUpdater } from '../deployments/service-status';

const CANCEL_POLL_MS = 1000;

/**
 * Carries one deployment from `deploying` to `succeeded` or `deployment_failed`: waits for
 * the service's rollout lock, applies the spec through the runtime, and commits the outcome,
 * the route and the service status at once. The old instances drain and stop afterwards
 * (a `retire` job). A newer deployment cancels this one; the rollout then stops and cleans up.
 */
@Injectable()
export class RolloutRunner {
  private readonly logger = new Logger(RolloutRunner.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(RUNTIME_DRIVER) private readonly runtime: RuntimeDriver,
    private readonly deployments: DeploymentsService,
    private readonly routes: RoutesService,
    private readonly statuses: ServiceStatusUpdater,
    private readonly retirements: Retirements,
    private readonly traffic: TrafficShift,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async run(deploymentId: string): Promise<void> {
    const initial = await this.load(deploymentId);
    if (initial?.status !== 'deploying') return;
    const lock = await acquireServiceLock(
      this.dataSource,
      initial.serviceId,
      async () => (await this.statusOf(deploymentId)) === 'deploying',
    );
    if (!lock) return;
    try {
      await this.rollOut(deploymentId);
    } finally {
      await releaseServiceLock(lock, initial.serviceId);
      await this.statuses.refresh(initial.serviceId);
    }
  }

  /**
   * Ends a deployment unless something else (a newer deploy, a cancel) ended it first. The
   * service's status commits with it (in `manager`'s transaction when given), so no reader
   * sees an ended deployment under a service still `deploying`.
   */
  async finish(
    deploymentId: string,
    status: Extract<DeploymentStatus, 'succeeded' | 'build_failed' | 'deployment_failed'>,
    failureReason: string | null,
    manager?: EntityManager,
  ): Promise<boolean> {
    const end = async (m: EntityManager): Promise<boolean> => {
      const result = await m
        .createQueryBuilder()
        .update(Deployment)
        .set({ status, failureReason, endedAt: new Date(), buildTokenHash: null })
        .where('id = :id AND status IN (:...open)', {
          id: deploymentId,
          open: ['building', 'deploying'],
        })
        .returning(['serviceId'])
        .execute();
      const ended = (result.raw as { service_id: string }[])[0];
      if (!ended) return false;
      await this.statuses.refresh(ended.service_id, m);
      return true;
    };
    return manager ? end(manager) : this.dataSource.transaction(end);
  }

  private async rollOut(deploymentId: string): Promise<void> {
    const deployment = await this.load(deploymentId);
    if (deployment?.status !== 'deploying' || !deployment.image) return;
    const service = await this.dataSource
      .getRepository(Service)
      .findOneOrFail({ where: { id: deployment.serviceId } });
    const spec = this.deployments.specOf(service, await this.deployments.refOf(service), {
      ...deployment,
      image: deployment.image,
    });

    const abort = new AbortController();
    const watcher = setInterval(() => {
      void this.statusOf(deploymentId).then(
        (status) => status !== 'deploying' && abort.abort(),
        () => undefined,
      );
    }, CANCEL_POLL_MS);
    try {
      const result = await this.runtime.rollout(spec, {
        signal: abort.signal,
        readinessTimeoutMs: this.config.deploy.readinessTimeoutSeconds * 1000,
        onProgress: (message) => this.logger.log(`deployment ${deploymentId}: ${message}`),
        reroute: this.traffic.forService(service.id),
      });
      // Deployment, route and status commit together; the edge hears of the route after.
      // Superseded meanwhile, the new instances still take the traffic: the old ones were
      // set aside, and the newer rollout replaces these.
      const route = await this.dataSource.transaction(async (manager) => {
        const succeeded = await this.finish(deploymentId, 'succeeded', null, manager);
        const message = await this.routes.record(
          service.id,
          result.endpoints,
          succeeded ? deploymentId : undefined,
          manager,
        );
        await this.statuses.refresh(service.id, manager);
        return message;
      });
      if (route) await this.routes.publish(route);
      await this.retirements.later(service.id, result.retiring ?? [], deploymentId);
    } catch (error) {
      if (error instanceof RolloutCancelledError) return;
      if (error instanceof RolloutFailedError) {
        await this.finish(deploymentId, 'deployment_failed', error.reason);
        return;
      }
      throw error;
    } finally {
      clearInterval(watcher);
    }
  }

  private async load(deploymentId: string): Promise<Deployment | null> {
    return this.dataSource.getRepository(Deployment).findOne({ where: { id: deploymentId } });
  }

  private async statusOf(deploymentId: string): Promise<DeploymentStatus | undefined> {
    return (await this.load(deploymentId))?.status;
  }
}
