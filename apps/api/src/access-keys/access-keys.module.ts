import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { OrgsModule } from '../orgs/orgs.module';
import { ProjectsModule } from '../projects/projects.module';
import { AccessKey } from './access-key.entity';
import { AccessKeysController } from './access-keys.controller';
import { AccessKeysService } from './access-keys.service';

@Module({
  imports: [TypeOrmModule.forFeature([AccessKey]), OrgsModule, ProjectsModule],
  controllers: [AccessKeysController],
  providers: [AccessKeysService],
})
export class AccessKeysModule {}
