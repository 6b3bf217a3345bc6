import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { OrgsModule } from '../orgs/orgs.module';
import { QueuesModule } from '../queues/queues.module';
import { ProjectsModule } from '../projects/projects.module';
import { Service } from './service.entity';
import { ServiceRepositories } from './service-repositories';
import { ServiceRepository } from './service-repository.entity';
import { ServiceViews } from './service-views';
import { ServicesEnabledGuard } from './services-enabled.guard';
import { ServicesController } from './services.controller';
import { ServicesService } from './services.service';
import { ServiceDeletion } from './service-deletion';
import { ServiceTeardown } from './service-teardown';
import { SignedUrlController } from './signed-url.controller';

@Module({
  imports: [
    TypeOrmModule.forFeature([Service, ServiceRepository]),
    OrgsModule,
    ProjectsModule,
    QueuesModule,
  ],
  controllers: [ServicesController, SignedUrlController],
  providers: [
    ServicesService,
    ServicesEnabledGuard,
    ServiceTeardown,
    ServiceDeletion,
    ServiceRepositories,
    ServiceViews,
  ],
  exports: [
    ServicesService,
    ServicesEnabledGuard,
    ServiceTeardown,
    ServiceRepositories,
    ServiceViews,
  ],
})
export class ServicesModule {}
