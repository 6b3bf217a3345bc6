import { setTimeout as sleep } from 'node:timers/promises';
import { Inject, Module, type OnModuleInit } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { BlobStore } from '../blob-store/blob-store';
import { APP_CONFIG } from '../config/config.module';
import { type AppConfig } from '../config/config.schema';
import { DeploymentsModule } from '../deployments/deployments.module';
import { DeploymentsService } from '../deployments/deployments.service';
import { RegistryImages } from '../deployments/registry-images';
import { RoutesService } from '../routes/routes.service';
import { RUNTIME_DRIVER, type RuntimeDriver } from '../runtime/runtime-driver';
import { ServiceTeardown } from '../services/service-teardown';
import { ServicesModule } from '../services/services.module';
import { DeleteJobHandler, cancelRollouts } from './delete-job.handler';
import { DeployJobHandler } from './deploy-job.handler';
import { InstanceReaper } from './instance-reaper';
import { LostJobSweeper } from './lost-job.sweeper';
import { Retirements } from './retirements';
import { TrafficShift } from './traffic-shift';
import { RolloutRunner } from './rollout.runner';
import { ServiceJobsProcessor } from './service-jobs.processor';
import { StaleBuildSweeper } from './stale-build.sweeper';

@Module({
  imports: [DiscoveryModule, DeploymentsModule, ServicesModule],
  providers: [
    ServiceJobsProcessor,
    DeployJobHandler,
    DeleteJobHandler,
    RolloutRunner,
    Retirements,
    TrafficShift,
    StaleBuildSweeper,
    InstanceReaper,
    LostJobSweeper,
  ],
  exports: [Retirements, TrafficShift],
})
export class RolloutsModule implements OnModuleInit {
  constructor(
    private readonly teardown: ServiceTeardown,
    private readonly deployments: DeploymentsService,
    private readonly routes: RoutesService,
    private readonly images: RegistryImages,
    private readonly blobs: BlobStore,
    @Inject(RUNTIME_DRIVER) private readonly runtime: RuntimeDriver,
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    // Registered here, in this order. The route goes first: from then on the edge answers
    // 503 "deleted" and sends nothing new. In-progress deployments end before instances stop,
    // so no rollout starts one after the delete (the job holds the lock; a rollout lets go).
    this.teardown.register('route', (service) => this.routes.remove(service.id));
    this.teardown.register('deployments in progress', (service) =>
      cancelRollouts(this.dataSource, service.id),
    );
    this.teardown.register('instances', async (service, { force, keepVolumes }) => {
      // Without force, requests already inside finish first, as when a rollout retires.
      if (!force) await sleep(this.config.runtime.drainSeconds * 1000);
      await this.runtime.delete(
        await this.deployments.refOf(service),
        await this.images.builtImages(service.id),
        { force, keepVolumes },
      );
    });
    this.teardown.register('built images', (service) => this.images.deleteBuiltImages(service.id));
    this.teardown.register('source bundles', (service) =>
      this.blobs.deletePrefix(`bundles/${service.id}`),
    );
  }
}
