import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ConfigError,
  loadConfig as loadValidatedConfig,
  redactConfig as redactSensitive,
} from '@slipway/app-config';
import { parse as parseYaml } from 'yaml';
import { configSchema, type AppConfig } from './config.schema';
import { CONFIG_FILE_ENV, ENV_VARS } from './env-vars';

export { ConfigError };

/** Used only when NODE_ENV is not production and no key is configured. */
const DEVELOPMENT_SECRET_KEY = 'slipway-development-secret-key-do-not-use-in-production';

export interface LoadConfigOptions {
  env?: NodeJS.ProcessEnv;
  /** Values applied over the file and environment (tests use it). */
  overrides?: Record<string, unknown>;
}

/**
 * Reads the base config file, applies environment overrides, validates the result and
 * returns it frozen. Throws a ConfigError listing every problem at once.
 */
export function loadConfig(options: LoadConfigOptions = {}): AppConfig {
  const env = options.env ?? process.env;
  const problems: string[] = [];
  const file = env[CONFIG_FILE_ENV] || join(__dirname, '..', '..', 'config', 'base.yaml');

  let base: Record<string, unknown> = {};
  try {
    base = (parseYaml(readFileSync(file, 'utf8')) as Record<string, unknown> | null) ?? {};
  } catch (error) {
    problems.push(`${CONFIG_FILE_ENV}: cannot read ${file}: ${(error as Error).message}`);
  }

  return loadValidatedConfig({
    schema: configSchema,
    envVars: ENV_VARS,
    env,
    base,
    overrides: options.overrides,
    problems,
    // The API keeps string values verbatim, takes signed integers and names paths first.
    trimValues: false,
    signedIntegers: true,
    yesNoBooleans: false,
    issueLabel: 'path (variable)',
    finish: (config) => ({ ...config, secretKey: config.secretKey ?? DEVELOPMENT_SECRET_KEY }),
  });
}

/** A copy of the config safe to log: every value marked sensitive is replaced. */
export function redactConfig(config: AppConfig): Record<string, unknown> {
  return redactSensitive(config, ENV_VARS);
}
