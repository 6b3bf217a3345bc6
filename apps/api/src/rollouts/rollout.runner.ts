import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type DeploymentStatus } from '@slipway/contracts';
import { DataSource } from 'typeorm';
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
import { acquireServiceLock, releaseServiceLock } from './service-lock';
import { ServiceStatusUpdater } from '../deployments/service-status';

const CANCEL_POLL_MS = 1000;

/**
 * Carries one deployment from `deploying` to `succeeded` or `deployment_failed`: waits for
 * the service's rollout lock, applies the spec through the runtime, switches the route.
 * A newer deployment cancels this one; the rollout then stops and cleans up.
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

  /** Ends a deployment unless something else (a newer deploy, a cancel) ended it first. */
  async finish(
    deploymentId: string,
    status: Extract<DeploymentStatus, 'succeeded' | 'build_failed' | 'deployment_failed'>,
    failureReason: string | null,
  ): Promise<boolean> {
    const result = await this.dataSource
      .createQueryBuilder()
      .update(Deployment)
      .set({ status, failureReason, endedAt: new Date(), buildTokenHash: null })
      .where('id = :id AND status IN (:...open)', {
        id: deploymentId,
        open: ['building', 'deploying'],
      })
      .execute();
    return (result.affected ?? 0) > 0;
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
      });
      if (await this.finish(deploymentId, 'succeeded', null)) {
        await this.routes.switchTo(service.id, result.endpoints, deploymentId);
      }
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
