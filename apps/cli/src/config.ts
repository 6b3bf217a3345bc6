import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { CliError } from './errors';

/** What `slipway config`, `org set`, `project set` and `resource-profile set` remember. */
export interface StoredConfig {
  api_url?: string;
  token?: string;
  org_id?: string;
  project_id?: string;
  resource_profile_id?: string;
}

/** What a command needs to call the API, after the environment has had its say. */
export interface Settings {
  apiUrl: string;
  token: string;
  orgId?: string;
  projectId?: string;
  resourceProfileId?: string;
}

export type Env = Readonly<Record<string, string | undefined>>;

/** `$XDG_CONFIG_HOME/slipway/config.json`, with XDG's default of `~/.config`. */
export function configPath(env: Env = process.env): string {
  const base = env.XDG_CONFIG_HOME || join(env.HOME || homedir(), '.config');
  return join(base, 'slipway', 'config.json');
}

const KEYS = ['api_url', 'token', 'org_id', 'project_id', 'resource_profile_id'] as const;

export async function readConfig(env: Env = process.env): Promise<StoredConfig> {
  const path = configPath(env);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new CliError(`cannot read ${path}: ${(error as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new CliError(`${path} is not valid JSON: fix it or run \`slipway config\` again`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new CliError(`${path} must hold a JSON object`);
  }
  const config: StoredConfig = {};
  for (const key of KEYS) {
    const value = (parsed as Record<string, unknown>)[key];
    if (typeof value === 'string' && value !== '') config[key] = value;
  }
  return config;
}

/**
 * Merges `changes` into the stored file (`undefined` removes a key). The token is a
 * secret: the directory is 0700 and the file 0600, written whole then renamed into place.
 */
export async function updateConfig(
  changes: Partial<Record<keyof StoredConfig, string | undefined>>,
  env: Env = process.env,
): Promise<StoredConfig> {
  const path = configPath(env);
  const next: StoredConfig = { ...(await readConfig(env)) };
  for (const key of KEYS) {
    if (!(key in changes)) continue;
    const value = changes[key];
    if (value === undefined) delete next[key];
    else next[key] = value;
  }
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  await chmod(dirname(path), 0o700);
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(next, null, 2)}\n`, { mode: 0o600 });
  await chmod(temporary, 0o600);
  await rename(temporary, path);
  return next;
}

/** The stored config with `SLIPWAY_API_URL` / `SLIPWAY_TOKEN` taking precedence. */
export async function loadSettings(env: Env = process.env): Promise<Settings> {
  const stored = await readConfig(env);
  const apiUrl = env.SLIPWAY_API_URL || stored.api_url;
  const token = env.SLIPWAY_TOKEN || stored.token;
  if (!apiUrl || !token) {
    const missing = [!apiUrl && 'API URL', !token && 'token'].filter(Boolean).join(' and ');
    throw new CliError(
      `no ${missing} configured: run \`slipway config --api-url URL --token TOKEN\` or set SLIPWAY_API_URL and SLIPWAY_TOKEN`,
    );
  }
  return {
    apiUrl: apiUrl.replace(/\/+$/, ''),
    token,
    ...(stored.org_id && { orgId: stored.org_id }),
    ...(stored.project_id && { projectId: stored.project_id }),
    ...(stored.resource_profile_id && { resourceProfileId: stored.resource_profile_id }),
  };
}
