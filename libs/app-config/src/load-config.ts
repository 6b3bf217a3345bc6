import type { z } from 'zod';
import { ConfigError } from './config-error';
import { type EnvParsing, type EnvVarDefinition, isBlankEnvValue, parseEnvValue } from './env-vars';
import { deepFreeze, type RawConfig, setPath, valueAt } from './paths';

/** Where a schema issue is said to be: `LOG_LEVEL (log.level)` or `log.level (LOG_LEVEL)`. */
export type IssueLabel = 'variable (path)' | 'path (variable)';

export interface LoadConfigOptions<S extends z.ZodType> extends EnvParsing {
  readonly schema: S;
  readonly envVars: readonly EnvVarDefinition[];
  readonly env: NodeJS.ProcessEnv;
  /** What the variables are applied over (a parsed config file, empty sections); copied. */
  readonly base?: RawConfig;
  /** Values by dotted path, applied last (tests, embedding). */
  readonly overrides?: Readonly<Record<string, unknown>>;
  /** Problems found before loading (an unreadable config file); reported first. */
  readonly problems?: readonly string[];
  /** Checks on the merged values, reported alongside the schema's issues. */
  readonly check?: (raw: RawConfig) => readonly string[];
  /** Default `variable (path)`. */
  readonly issueLabel?: IssueLabel;
  /** First line of the ConfigError's message; default `Invalid configuration`. */
  readonly errorTitle?: string;
}

/**
 * Applies the environment variables over `base` by their kind, then `overrides`, validates
 * with `schema`, and returns the result (through `finish`, when given) deeply frozen.
 * Throws a ConfigError listing every problem at once.
 */
export function loadConfig<S extends z.ZodType, C>(
  options: LoadConfigOptions<S> & { readonly finish: (config: z.output<S>) => C },
): C;
export function loadConfig<S extends z.ZodType>(options: LoadConfigOptions<S>): z.output<S>;
export function loadConfig<S extends z.ZodType>(
  options: LoadConfigOptions<S> & { readonly finish?: (config: z.output<S>) => unknown },
): unknown {
  const problems = [...(options.problems ?? [])];
  const raw: RawConfig = structuredClone(options.base ?? {});
  for (const definition of options.envVars) {
    const value = options.env[definition.name];
    if (!definition.path || value === undefined || isBlankEnvValue(value, options)) continue;
    const parsed = parseEnvValue(definition, value, options);
    if ('problem' in parsed) problems.push(parsed.problem);
    else setPath(raw, definition.path, parsed.value);
  }
  for (const [path, value] of Object.entries(options.overrides ?? {})) setPath(raw, path, value);
  problems.push(...(options.check?.(raw) ?? []));

  const result = options.schema.safeParse(raw);
  if (!result.success) {
    const label = options.issueLabel ?? 'variable (path)';
    problems.push(...describeIssues(result.error.issues, options.envVars, label));
  }
  if (problems.length > 0 || !result.success) {
    throw new ConfigError(problems, options.errorTitle);
  }
  return deepFreeze(options.finish ? options.finish(result.data) : result.data);
}

/** One empty object per top-level key of an object schema, for variables to fill in. */
export function emptySections(schema: { readonly shape: object }): RawConfig {
  return Object.fromEntries(Object.keys(schema.shape).map((section) => [section, {}]));
}

/**
 * A `check` for a setting that has a development fallback but must be configured in
 * production: `SLIPWAY_SECRET_KEY (auth.secretKey): is required when NODE_ENV=production`.
 */
export function requiredInProduction(
  envVars: readonly EnvVarDefinition[],
  required: string,
  environment = 'NODE_ENV',
): (raw: RawConfig) => string[] {
  const pathOf = (name: string): string => {
    const path = envVars.find((d) => d.name === name)?.path;
    if (!path) throw new Error(`${name} is not a variable with a config path`);
    return path;
  };
  const requiredPath = pathOf(required);
  const environmentPath = pathOf(environment);
  return (raw) =>
    valueAt(raw, environmentPath) === 'production' && !valueAt(raw, requiredPath)
      ? [`${required} (${requiredPath}): is required when ${environment}=production`]
      : [];
}

/**
 * Each issue with the variable that sets its value (or the value containing it, such as a
 * list), so an operator sees which variable to fix.
 */
export function describeIssues(
  issues: readonly z.core.$ZodIssue[],
  envVars: readonly EnvVarDefinition[],
  label: IssueLabel = 'variable (path)',
): string[] {
  return issues.map((issue) => {
    const path = issue.path.join('.');
    const envVar =
      envVars.find((d) => d.path === path) ??
      envVars.find((d) => d.path !== undefined && path.startsWith(`${d.path}.`));
    if (!envVar) return `${path || '(root)'}: ${issue.message}`;
    const where =
      label === 'variable (path)' ? `${envVar.name} (${path})` : `${path} (${envVar.name})`;
    return `${where}: ${issue.message}`;
  });
}

const REDACTED = '[redacted]';

/** The config's shape with any value possibly replaced by the redaction marker. */
export type Redacted<C> = C extends readonly unknown[]
  ? C | typeof REDACTED
  : C extends object
    ? { -readonly [K in keyof C]: Redacted<C[K]> }
    : C | typeof REDACTED;

/** A copy of the config safe to log: every value a sensitive variable sets is replaced. */
export function redactConfig<C extends object>(
  config: C,
  envVars: readonly EnvVarDefinition[],
): Redacted<C> {
  const copy = structuredClone(config) as RawConfig;
  for (const definition of envVars) {
    if (!definition.sensitive || !definition.path) continue;
    const keys = definition.path.split('.');
    let node: RawConfig | undefined = copy;
    for (const key of keys.slice(0, -1)) node = node?.[key] as RawConfig | undefined;
    const last = keys[keys.length - 1] as string;
    if (node && node[last] !== undefined) node[last] = REDACTED;
  }
  return copy as Redacted<C>;
}
