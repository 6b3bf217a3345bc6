import { Module } from '@nestjs/common';
import { OrgsModule } from '../orgs/orgs.module';
import { ProjectsModule } from '../projects/projects.module';
import { ResourceProfilesModule } from '../resource-profiles/resource-profiles.module';
import { TokensModule } from '../tokens/tokens.module';
import { UsersModule } from '../users/users.module';
import { BootstrapService } from './bootstrap.service';

@Module({
  imports: [ResourceProfilesModule, UsersModule, OrgsModule, ProjectsModule, TokensModule],
  providers: [BootstrapService],
})
export class BootstrapModule {}
