import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { QueuesModule } from '../queues/queues.module';
import { ResourceProfilesModule } from '../resource-profiles/resource-profiles.module';
import { ServicesModule } from '../services/services.module';
import { BuildLogsService } from './build-logs.service';
import { BundleIntake } from './bundle-intake';
import { BundlesController } from './bundles.controller';
import { DeployQueue } from './deploy-queue';
import { DeployRequestParser } from './deploy-request.parser';
import { Deployment } from './deployment.entity';
import { DeploymentSettingsResolver } from './deployment-settings.resolver';
import { DeploymentsController } from './deployments.controller';
import { DeploymentsService } from './deployments.service';
import { RegistryImages } from './registry-images';
import { RelaunchController } from './relaunch.controller';
import { ServiceUpdateController } from './service-update.controller';
import { GitDeploys } from './git-deploys';
import { RelaunchService } from './relaunch.service';
import { ServiceStatusUpdater } from './service-status';
import { SourceUploadInterceptor } from './source-upload.interceptor';

@Module({
  imports: [
    TypeOrmModule.forFeature([Deployment]),
    QueuesModule,
    ServicesModule,
    ResourceProfilesModule,
  ],
  controllers: [
    DeploymentsController,
    RelaunchController,
    BundlesController,
    ServiceUpdateController,
  ],
  providers: [
    DeploymentsService,
    DeploymentSettingsResolver,
    BundleIntake,
    DeployQueue,
    DeployRequestParser,
    BuildLogsService,
    SourceUploadInterceptor,
    RegistryImages,
    ServiceStatusUpdater,
    RelaunchService,
    GitDeploys,
  ],
  exports: [DeploymentsService, RegistryImages, ServiceStatusUpdater, DeployQueue, GitDeploys],
})
export class DeploymentsModule {}
