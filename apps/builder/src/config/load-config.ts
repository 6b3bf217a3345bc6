import type { z } from 'zod';
import {
  type BuilderConfig,
  type BuilderConfigOverrides,
  builderConfigSchema,
} from './config.schema';
import { ENV_VARS, type EnvVarDefinition } from './env-vars';

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid builder configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Reads the environment once, applies `overrides`, validates, and returns the config
 * frozen. Throws a ConfigError listing every problem at once.
 */
export function loadBuilderConfig(
  env: NodeJS.ProcessEnv = process.env,
  overrides: BuilderConfigOverrides = {},
): BuilderConfig {
  const problems: string[] = [];
  const raw: Record<string, Record<string, unknown>> = {
    redis: {},
    queue: {},
    build: {},
    bundle: {},
    docker: {},
    registry: {},
    kaniko: {},
    log: {},
  };
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
  const result = builderConfigSchema.safeParse(raw);
  if (!result.success) problems.push(...describeIssues(result.error.issues));
  if (problems.length > 0 || !result.success) throw new ConfigError(problems);
  return deepFreeze(result.data);
}

function parseEnvValue(
  definition: EnvVarDefinition,
  value: string,
): { value: unknown } | { problem: string } {
  switch (definition.kind) {
    case 'string':
      return { value: value.trim() };
    case 'integer':
      return /^\d+$/.test(value.trim())
        ? { value: Number(value) }
        : { problem: `${definition.name}: must be a whole number (got '${value}')` };
    case 'list':
      return {
        value: value
          .split(',')
          .map((item) => item.trim())
          .filter((item) => item.length > 0),
      };
  }
}

function describeIssues(issues: readonly z.core.$ZodIssue[]): string[] {
  return issues.map((issue) => {
    const path = issue.path.join('.');
    const envVar = ENV_VARS.find(
      (d) =>
        d.path === path || (issue.path.length > 2 && d.path === issue.path.slice(0, 2).join('.')),
    );
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
export function redactConfig(config: BuilderConfig): Record<string, Record<string, unknown>> {
  const copy = structuredClone(config) as unknown as Record<string, Record<string, unknown>>;
  for (const definition of ENV_VARS) {
    if (!definition.sensitive) continue;
    const [section, key] = definition.path.split('.') as [string, string];
    const node = copy[section];
    if (node && node[key] !== undefined) node[key] = '[redacted]';
  }
  return copy;
}
