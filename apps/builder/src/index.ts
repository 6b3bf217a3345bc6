/**
 * @slipway/builder: the build worker. `createBuilder` starts one in-process (tests, local
 * dev); `main.ts` runs it as a process.
 */
export { type Builder, type CreateBuilderOptions, createBuilder } from './builder';
export {
  BUILD_DRIVERS,
  type BuilderConfig,
  type BuilderConfigOverrides,
  LOG_LEVELS,
} from './config/config.schema';
export { ENV_VARS, type EnvVarDefinition } from './config/env-vars';
export { ConfigError, loadBuilderConfig, redactConfig } from './config/load-config';
export {
  BUILD_DRIVER,
  BuildFailedError,
  type BuildDriver,
  type BuildLogSink,
} from './drivers/build-driver';
export {
  createBuildDriver,
  kanikoBuildOptions,
  loadKubeConfig,
} from './drivers/build-driver.factory';
export { DockerBuildDriver, type DockerDriverOptions } from './drivers/docker/docker-build-driver';
export { STALLED_BUILD_BOUND_MS } from './worker/worker-settings';
