import {
  ConfigError,
  emptySections,
  loadConfig,
  redactConfig as redactSensitive,
  sectionOverrides,
} from '@slipway/app-config';
import {
  type BuilderConfig,
  type BuilderConfigOverrides,
  builderConfigSchema,
} from './config.schema';
import { ENV_VARS } from './env-vars';

export { ConfigError };

/**
 * Reads the environment once, applies `overrides`, validates, and returns the config
 * frozen. Throws a ConfigError listing every problem at once.
 */
export function loadBuilderConfig(
  env: NodeJS.ProcessEnv = process.env,
  overrides: BuilderConfigOverrides = {},
): BuilderConfig {
  return loadConfig({
    schema: builderConfigSchema,
    envVars: ENV_VARS,
    env,
    base: emptySections(builderConfigSchema),
    overrides: sectionOverrides(overrides),
    errorTitle: 'Invalid builder configuration',
  });
}

/** A copy of the config safe to log: every value marked sensitive is replaced. */
export function redactConfig(config: BuilderConfig): Record<string, Record<string, unknown>> {
  return redactSensitive(config, ENV_VARS);
}
