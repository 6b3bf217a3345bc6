import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG } from '../config/config.module';
import { type AppConfig } from '../config/config.schema';
import { OrgsService } from '../orgs/orgs.service';
import { ProjectsService } from '../projects/projects.service';
import { ResourceProfilesService } from '../resource-profiles/resource-profiles.service';
import { TokensService } from '../tokens/tokens.service';
import { UsersService } from '../users/users.service';

/** Any constant works; it only has to be the same in every API instance. */
const BOOTSTRAP_LOCK = 0x51_1b_a7;

/**
 * At start: seeds the default resource profiles and, with SLIPWAY_BOOTSTRAP_TOKEN set,
 * ensures the first admin, org `default`, project `default` and a PAT with exactly that
 * value. Idempotent, and serialised across instances by an advisory lock.
 */
@Injectable()
export class BootstrapService implements OnApplicationBootstrap {
  private readonly logger = new Logger(BootstrapService.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly profiles: ResourceProfilesService,
    private readonly users: UsersService,
    private readonly orgs: OrgsService,
    private readonly projects: ProjectsService,
    private readonly tokens: TokensService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.query('SELECT pg_advisory_lock($1)', [BOOTSTRAP_LOCK]);
      await this.profiles.ensureDefaults();
      const token = this.config.bootstrap.token;
      if (token) {
        const admin = await this.users.ensureAdmin(this.config.bootstrap.adminEmail);
        const org = await this.orgs.ensureOwned(admin.id, 'default');
        await this.projects.ensure(org.id, 'default');
        await this.tokens.ensure(admin.id, 'bootstrap', token);
        this.logger.log(
          `Bootstrap admin ${admin.email} is ready with org 'default' and project 'default'`,
        );
      }
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [BOOTSTRAP_LOCK]).catch(() => undefined);
      await runner.release();
    }
  }
}
