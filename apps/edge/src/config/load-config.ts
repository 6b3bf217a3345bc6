import { DEVELOPMENT_SECRET_KEY } from '@slipway/contracts';
import type { z } from 'zod';
import { type EdgeConfig, type EdgeConfigOverrides, edgeConfigSchema } from './config.schema';
import { ENV_VARS, type EnvVarDefinition } from './env-vars';

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid edge configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const SECTIONS = Object.keys(edgeConfigSchema.shape);

/**
 * Reads the environment once, applies `overrides`, validates, and returns the config
 * frozen. Throws a ConfigError listing every problem at once.
 */
export function loadEdgeConfig(
  env: NodeJS.ProcessEnv = process.env,
  overrides: EdgeConfigOverrides = {},
): EdgeConfig {
  const problems: string[] = [];
  const raw: Record<string, Record<string, unknown>> = Object.fromEntries(
    SECTIONS.map((section) => [section, {}]),
  );
  for (const definition of ENV_VARS) {
    const value = env[definition.name];
    if (value === undefined || value.trim() === '') continue;
    const parsed = parseEnvValue(definition, value);
    if ('problem' in parsed) problems.push(parsed.problem);
    else setPath(raw, definition.path, parsed.value);
  }
  for (const [section, values] of Object.entries(overrides)) {
    raw[section] = { ...raw[section], ...(values as Record<string, unknown> | undefined) };
  }
  // Checked apart from the schema so it is reported alongside every other problem.
  if (raw.runtime?.env === 'production' && !raw.auth?.secretKey) {
    problems.push('SLIPWAY_SECRET_KEY (auth.secretKey): is required when NODE_ENV=production');
  }
  const result = edgeConfigSchema.safeParse(raw);
  if (!result.success) problems.push(...describeIssues(result.error.issues));
  if (problems.length > 0 || !result.success) throw new ConfigError(problems);
  return deepFreeze({
    ...result.data,
    auth: {
      ...result.data.auth,
      secretKey: result.data.auth.secretKey ?? DEVELOPMENT_SECRET_KEY,
    },
  });
}

function parseEnvValue(
  definition: EnvVarDefinition,
  value: string,
): { value: unknown } | { problem: string } {
  const trimmed = value.trim();
  switch (definition.kind) {
    case 'string':
      return { value: trimmed };
    case 'integer':
      return /^\d+$/.test(trimmed)
        ? { value: Number(trimmed) }
        : { problem: `${definition.name}: must be a whole number (got '${value}')` };
    case 'boolean':
      if (/^(true|1|yes)$/i.test(trimmed)) return { value: true };
      if (/^(false|0|no)$/i.test(trimmed)) return { value: false };
      return { problem: `${definition.name}: must be true or false (got '${value}')` };
  }
}

function describeIssues(issues: readonly z.core.$ZodIssue[]): string[] {
  return issues.map((issue) => {
    const path = issue.path.join('.');
    const envVar = ENV_VARS.find((d) => d.path === path);
    const where = envVar ? `${envVar.name} (${path})` : path || '(root)';
    return `${where}: ${issue.message}`;
  });
}

function setPath(
  target: Record<string, Record<string, unknown>>,
  path: string,
  value: unknown,
): void {
  const [section, key] = path.split('.') as [string, string];
  target[section] = { ...target[section], [key]: value };
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

/** A copy of the config safe to log: every value marked sensitive is replaced. */
export function redactConfig(config: EdgeConfig): Record<string, Record<string, unknown>> {
  const copy = structuredClone(config) as unknown as Record<string, Record<string, unknown>>;
  for (const definition of ENV_VARS) {
    if (!definition.sensitive) continue;
    const [section, key] = definition.path.split('.') as [string, string];
    const node = copy[section];
    if (node && node[key] !== undefined) node[key] = '[redacted]';
  }
  return copy;
}
