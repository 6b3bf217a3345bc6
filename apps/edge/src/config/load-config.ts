import {
  ConfigError,
  emptySections,
  loadConfig,
  redactConfig as redactSensitive,
  requiredInProduction,
  sectionOverrides,
} from '@slipway/app-config';
import { hostname } from 'node:os';
import { DEVELOPMENT_SECRET_KEY } from '@slipway/contracts';
import { type EdgeConfig, type EdgeConfigOverrides, edgeConfigSchema } from './config.schema';
import { ENV_VARS } from './env-vars';

export { ConfigError };

/**
 * Reads the environment once, applies `overrides`, validates, and returns the config
 * frozen. Throws a ConfigError listing every problem at once.
 */
export function loadEdgeConfig(
  env: NodeJS.ProcessEnv = process.env,
  overrides: EdgeConfigOverrides = {},
): EdgeConfig {
  return loadConfig({
    schema: edgeConfigSchema,
    envVars: ENV_VARS,
    env,
    base: emptySections(edgeConfigSchema),
    overrides: sectionOverrides(overrides),
    // Checked apart from the schema so it is reported alongside every other problem.
    check: requiredInProduction(ENV_VARS, 'SLIPWAY_SECRET_KEY'),
    errorTitle: 'Invalid edge configuration',
    finish: (config) => ({
      ...config,
      auth: { ...config.auth, secretKey: config.auth.secretKey ?? DEVELOPMENT_SECRET_KEY },
      activity: { ...config.activity, edgeId: config.activity.edgeId ?? defaultEdgeId() },
    }),
  });
}

/**
 * `<hostname>-<pid>`, reduced to the characters an edge id may hold: unique per running
 * agent (a restarted agent writes a new hash; the old one expires).
 */
export function defaultEdgeId(host = hostname(), pid = process.pid): string {
  const safeHost = host.replace(/[^A-Za-z0-9_.-]/g, '-').slice(0, 100) || 'edge';
  return `${safeHost}-${pid}`;
}

/** A copy of the config safe to log: every value marked sensitive is replaced. */
export function redactConfig(config: EdgeConfig): Record<string, Record<string, unknown>> {
  return redactSensitive(config, ENV_VARS);
}
