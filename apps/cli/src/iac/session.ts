/**
 * What every `slipway iac` command starts from: the synthesized stack (synthesizing it
 * first when run beside cdktf.json), the API it talks to, its variables and organization.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  IacError,
  loadStack,
  locateStack,
  UNKNOWN,
  type StackDocument,
  type Value,
} from '@slipway/iac';
import { z } from 'zod';
import { call, createApi, type Api } from '../client';
import { loadSettings, type Env, type Settings } from '../config';
import { CliError, UsageError } from '../errors';
import { type Output } from '../output';
import { SlipwayBackend } from './backend';

export interface StackOptions {
  dir?: string;
  synthDir?: string;
  stack?: string;
}

const CdktfJson = z.object({
  app: z.string().min(1, 'must name the command that synthesizes the stack'),
  output: z.string().default('cdktf.out'),
});

/** Runs cdktf.json's `app` with CDKTF_OUTDIR set, as `cdktn synth` does; answers the outdir. */
export async function synthesize(dir: string, output: Output): Promise<string> {
  const file = join(dir, 'cdktf.json');
  if (!existsSync(file))
    throw new UsageError(
      `no cdktf.json in ${dir}: run in the stack's directory, or pass --synth-dir`,
    );
  let parsed: z.infer<typeof CdktfJson>;
  try {
    parsed = CdktfJson.parse(JSON.parse(readFileSync(file, 'utf8')));
  } catch (error) {
    const reason =
      error instanceof z.ZodError
        ? error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')
        : (error as Error).message;
    throw new CliError(`${file}: ${reason}`);
  }
  const outdir = resolve(dir, parsed.output);
  output.progress(`synthesizing: ${parsed.app}`);
  const code = await new Promise<number | null>((done, fail) => {
    const child = spawn(parsed.app, {
      cwd: dir,
      shell: true,
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, CDKTF_OUTDIR: outdir },
    });
    child.once('error', fail);
    child.once('exit', done);
  });
  if (code !== 0)
    throw new CliError(`synthesis failed: \`${parsed.app}\` exited with ${code ?? 'a signal'}`);
  return outdir;
}

export async function readStack(options: StackOptions, output: Output): Promise<StackDocument> {
  if (options.dir !== undefined && options.synthDir !== undefined)
    throw new UsageError('give --dir or --synth-dir, not both');
  const synthDir = options.synthDir ?? (await synthesize(resolve(options.dir ?? '.'), output));
  try {
    return loadStack(locateStack(resolve(synthDir), options.stack));
  } catch (error) {
    if (error instanceof IacError) throw new CliError(error.message);
    throw error;
  }
}

/** `${var.NAME}`: TF_VAR_NAME, else the variable's default; the token falls back to the CLI's. */
export function variables(stack: StackDocument, env: Env, settings: Settings | undefined) {
  return (name: string): Value => {
    const given = env[`TF_VAR_${name}`];
    if (given !== undefined) return given;
    const declared = stack.variables[name];
    if (declared?.default !== undefined) return declared.default;
    if (name === 'slipway_token' && settings) return settings.token;
    if (!declared)
      throw new IacError(`\${var.${name}} names a variable the stack does not declare`);
    throw new IacError(`variable ${name} has no value: set TF_VAR_${name}`);
  };
}

function literal(value: Value, what: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value === '' || (value as unknown) === UNKNOWN)
    throw new IacError(`the provider's ${what} must resolve to a string`);
  return value;
}

export interface Session {
  readonly stack: StackDocument;
  readonly api: Api;
  readonly backend: SlipwayBackend;
  readonly variables: (name: string) => Value;
}

/** Connects as the provider block says, falling back to `slipway config` and its env. */
export async function openSession(
  options: StackOptions,
  output: Output,
  env: Env = process.env,
): Promise<Session> {
  const stack = await readStack(options, output);
  const configured = await loadSettings(env).catch(() => undefined);
  const vars = variables(stack, env, configured);
  const resolveProvider = (value: string | undefined, what: string) =>
    value === undefined
      ? undefined
      : literal(value.startsWith('${var.') ? vars(value.slice(6, -1)) : value, what);
  const apiUrl = resolveProvider(stack.provider.api_url, 'api_url') ?? configured?.apiUrl;
  const token = resolveProvider(stack.provider.token, 'token') ?? configured?.token;
  if (!apiUrl || !token)
    throw new CliError(
      "no API to talk to: set the provider's apiUrl and TF_VAR_slipway_token, or run `slipway config --api-url URL --token TOKEN`",
    );
  const settings: Settings = { ...configured, apiUrl: apiUrl.replace(/\/+$/, ''), token };
  const api = createApi(settings);
  const orgId =
    resolveProvider(stack.provider.org_id, 'org_id') ?? settings.orgId ?? (await onlyOrg(api));
  return {
    stack,
    api,
    variables: vars,
    backend: new SlipwayBackend(api, output, stack.name, orgId, stack.dir),
  };
}

/** The organization when the token sees exactly one. */
export async function onlyOrg(api: Api): Promise<string> {
  const { data } = await call(
    api,
    api.client.GET('/v1/orgs', { params: { query: { per_page: 2 } } }),
  );
  const [only] = data;
  if (only && data.length === 1) return only.id;
  throw new UsageError(
    "which organization? set the provider's orgId or run `slipway org set --id ORG_ID`",
  );
}
