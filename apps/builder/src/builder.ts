import 'reflect-metadata';
import type { LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { BuilderModule } from './builder.module';
import type { BuilderConfig, BuilderConfigOverrides } from './config/config.schema';
import { loadBuilderConfig } from './config/load-config';
import type { BuildDriver } from './drivers/build-driver';

export interface CreateBuilderOptions {
  /** A config already loaded; otherwise it is read from `env` with `overrides`. */
  config?: BuilderConfig;
  /** @default process.env */
  env?: NodeJS.ProcessEnv;
  overrides?: BuilderConfigOverrides;
  /** Replaces the driver SLIPWAY_BUILD_DRIVER selects. */
  driver?: BuildDriver;
  /** Nest's logger; `false` for silence. @default Nest's console logger */
  logger?: LoggerService | false;
}

export interface Builder {
  readonly config: BuilderConfig;
  /** Stops taking jobs, lets running builds finish (or hands them back), disconnects. */
  close(): Promise<void>;
}

/** Starts a builder in this process: it takes build jobs until closed. */
export async function createBuilder(options: CreateBuilderOptions = {}): Promise<Builder> {
  const config = options.config ?? loadBuilderConfig(options.env ?? process.env, options.overrides);
  const app = await NestFactory.createApplicationContext(
    BuilderModule.forRoot({ config, driver: options.driver }),
    { logger: options.logger ?? undefined, abortOnError: false },
  );
  let closing: Promise<void> | undefined;
  return {
    config,
    close: () => (closing ??= app.close()),
  };
}
