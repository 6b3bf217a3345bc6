import { Inject, Module, type OnModuleInit } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { BlobStore } from '../blob-store/blob-store';
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
    StaleBuildSweeper,
    InstanceReaper,
    LostJobSweeper,
  ],
  exports: [Retirements],
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
  ) {}

  onModuleInit(): void {
    // Registered here, in this order: in-progress deployments end first, so no rollout starts instances after the delete.
    this.teardown.register('deployments in progress', (service) =>
      cancelRollouts(this.dataSource, service.id),
    );
    this.teardown.register('instances', async (service) =>
      this.runtime.delete(
        await this.deployments.refOf(service),
        await this.images.builtImages(service.id),
      ),
    );
    this.teardown.register('route', (service) => this.routes.remove(service.id));
    this.teardown.register('built images', (service) => this.images.deleteBuiltImages(service.id));
    this.teardown.register('source bundles', (service) =>
      this.blobs.deletePrefix(`bundles/${service.id}`),
    );
  }
}
