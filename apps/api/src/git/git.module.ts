import { Module } from '@nestjs/common';
import { DeploymentsModule } from '../deployments/deployments.module';
import { ServicesModule } from '../services/services.module';
import { GitCredentialsController } from './git-credentials.controller';
import { GitPushes } from './git-pushes';
import { GitWebhooksController } from './git-webhooks.controller';

/** Deploys from git: push webhooks, and the clone credentials builders fetch. */
@Module({
  imports: [DeploymentsModule, ServicesModule],
  controllers: [GitWebhooksController, GitCredentialsController],
  providers: [GitPushes],
})
export class GitModule {}
