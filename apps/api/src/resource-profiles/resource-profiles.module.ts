import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ResourceProfile } from './resource-profile.entity';
import { ResourceProfilesController } from './resource-profiles.controller';
import { ResourceProfilesService } from './resource-profiles.service';

@Module({
  imports: [TypeOrmModule.forFeature([ResourceProfile])],
  controllers: [ResourceProfilesController],
  providers: [ResourceProfilesService],
  exports: [ResourceProfilesService],
})
export class ResourceProfilesModule {}
