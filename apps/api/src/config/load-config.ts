import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { type z } from 'zod';
import { configSchema, type AppConfig } from './config.schema';
import { CONFIG_FILE_ENV, ENV_VARS, type EnvVarDefinition } from './env-vars';

/** Used only when NODE_ENV is not production and no key is configured. */
const DEVELOPMENT_SECRET_KEY = 'slipway-development-secret-key-do-not-use-in-production';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

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

  let raw: Record<string, unknown> = {};
  try {
    raw = (parseYaml(readFileSync(file, 'utf8')) as Record<string, unknown> | null) ?? {};
  } catch (error) {
    problems.push(`${CONFIG_FILE_ENV}: cannot read ${file}: ${(error as Error).message}`);
  }

  for (const definition of ENV_VARS) {
    const value = env[definition.name];
    if (!definition.path || value === undefined || value === '') continue;
    const parsed = parseEnvValue(definition, value);
    if ('problem' in parsed) problems.push(parsed.problem);
    else setPath(raw, definition.path, parsed.value);
  }
  for (const [path, value] of Object.entries(options.overrides ?? {})) setPath(raw, path, value);

  const result = configSchema.safeParse(raw);
  if (!result.success) problems.push(...describeIssues(result.error.issues));
  if (problems.length > 0 || !result.success) throw new ConfigError(problems);

  return deepFreeze({
    ...result.data,
    secretKey: result.data.secretKey ?? DEVELOPMENT_SECRET_KEY,
  });
}

function parseEnvValue(
  definition: EnvVarDefinition,
  value: string,
): { value: unknown } | { problem: string } {
  switch (definition.kind) {
    case 'string':
      return { value };
    case 'integer':
      return /^-?\d+$/.test(value.trim())
        ? { value: Number(value) }
        : { problem: `${definition.name}: must be an integer (got '${value}')` };
    case 'boolean': {
      const normalized = value.trim().toLowerCase();
      if (normalized === 'true' || normalized === '1') return { value: true };
      if (normalized === 'false' || normalized === '0') return { value: false };
      return { problem: `${definition.name}: must be true or false (got '${value}')` };
    }
  }
}

function describeIssues(issues: readonly z.core.$ZodIssue[]): string[] {
  return issues.map((issue) => {
    const path = issue.path.join('.');
    const envVar = ENV_VARS.find((d) => d.path === path);
    const where = envVar ? `${path} (${envVar.name})` : path || '(root)';
    return `${where}: ${issue.message}`;
  });
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let node = target;
  for (const key of keys.slice(0, -1)) {
    const next = node[key];
    if (typeof next !== 'object' || next === null) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys[keys.length - 1] as string] = value;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

/** A copy of the config safe to log: every value marked sensitive is replaced. */
export function redactConfig(config: AppConfig): Record<string, unknown> {
  const copy = structuredClone(config) as unknown as Record<string, unknown>;
  for (const definition of ENV_VARS) {
    if (!definition.sensitive || !definition.path) continue;
    const keys = definition.path.split('.');
    let node: Record<string, unknown> | undefined = copy;
    for (const key of keys.slice(0, -1)) node = node?.[key] as Record<string, unknown> | undefined;
    const last = keys[keys.length - 1] as string;
    if (node && node[last] !== undefined) node[last] = '[redacted]';
  }
  return copy;
}
