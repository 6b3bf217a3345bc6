import { type DynamicModule, Module } from '@nestjs/common';
import type { BuilderConfig } from './config/config.schema';
import { BUILD_DRIVER, type BuildDriver } from './drivers/build-driver';
import { createBuildDriver } from './drivers/build-driver.factory';
import { BUILDER_CONFIG, BuildWorker } from './worker/build-worker';

export interface BuilderModuleOptions {
  config: BuilderConfig;
  /** Replaces the driver SLIPWAY_BUILD_DRIVER selects (tests, embedding). */
  driver?: BuildDriver;
}

@Module({})
export class BuilderModule {
  static forRoot({ config, driver }: BuilderModuleOptions): DynamicModule {
    return {
      module: BuilderModule,
      providers: [
        { provide: BUILDER_CONFIG, useValue: config },
        { provide: BUILD_DRIVER, useFactory: () => driver ?? createBuildDriver(config) },
        BuildWorker,
      ],
    };
  }
}
