import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LoggerModule } from 'nestjs-pino';
import { AccessKeysModule } from './access-keys/access-keys.module';
import { AccessLogsModule } from './access-logs/access-logs.module';
import { AuthModule } from './auth/auth.module';
import { BlobStoreModule } from './blob-store/blob-store.module';
import { BootstrapModule } from './bootstrap/bootstrap.module';
import { CryptoModule } from './common/crypto/crypto.module';
import { GlobalExceptionFilter } from './common/errors/global-exception.filter';
import { loggerOptions } from './common/http/logger-options';
import { ConfigModule } from './config/config.module';
import { type AppConfig } from './config/config.schema';
import { dataSourceOptions } from './database/data-source-options';
import { DeploymentsModule } from './deployments/deployments.module';
import { GitModule } from './git/git.module';
import { HealthModule } from './health/health.module';
import { IdempotencyModule } from './idempotency/idempotency.module';
import { InstancesModule } from './instances/instances.module';
import { VolumesModule } from './volumes/volumes.module';
import { MetricsModule } from './metrics/metrics.module';
import { AutoscalingModule } from './autoscaling/autoscaling.module';
import { OperationsModule } from './operations/operations.module';
import { OrgsModule } from './orgs/orgs.module';
import { ProjectsModule } from './projects/projects.module';
import { RedisModule } from './redis/redis.module';
import { ResourceProfilesModule } from './resource-profiles/resource-profiles.module';
import { RolloutsModule } from './rollouts/rollouts.module';
import { RuntimeModule } from './runtime/runtime.module';
import { ServicesModule } from './services/services.module';
import { TokensModule } from './tokens/tokens.module';
import { TracesModule } from './traces/traces.module';
import { UsersModule } from './users/users.module';

@Module({})
export class AppModule {
  static forConfig(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRoot(loggerOptions(config)),
        TypeOrmModule.forRoot(
          dataSourceOptions(config.database.url, config.database.migrateOnStart),
        ),
        RedisModule,
        CryptoModule,
        IdempotencyModule,
        AuthModule,
        HealthModule,
        UsersModule,
        TokensModule,
        OrgsModule,
        ProjectsModule,
        AccessKeysModule,
        ResourceProfilesModule,
        ServicesModule,
        BlobStoreModule,
        RuntimeModule,
        DeploymentsModule,
        GitModule,
        RolloutsModule,
        InstancesModule,
        VolumesModule,
        OperationsModule,
        AutoscalingModule,
        TracesModule,
        AccessLogsModule,
        MetricsModule,
        BootstrapModule,
      ],
      providers: [{ provide: APP_FILTER, useClass: GlobalExceptionFilter }],
    };
  }
}
