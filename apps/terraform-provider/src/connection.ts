/**
 * ConfigureProvider: the API the provider talks to, from the provider block, else
 * SLIPWAY_API_URL / SLIPWAY_TOKEN, else `slipway config` — as `slipway iac` resolves it.
 */
import {
  CliError,
  createApi,
  readConfig,
  onlyOrg,
  Output,
  SlipwayBackend,
  StackState,
  type Env,
  type Settings,
  type StoredConfig,
} from '@slipway/cli';
import { MANAGED_BY_LABEL } from '@slipway/iac';
import { type ObjectValue } from './wire/values';

export interface Connection {
  readonly backend: SlipwayBackend;
  readonly state: StackState;
  readonly orgId: string;
  readonly api: ReturnType<typeof createApi>;
}

/** Resources the provider creates say so; Terraform's state, not labels, says which ones. */
const ownership = () => ({ [MANAGED_BY_LABEL]: 'terraform' });

export async function connect(config: ObjectValue, env: Env, workdir: string): Promise<Connection> {
  // Each setting on its own: a token from a Terraform variable, the URL from the environment.
  const stored = await readConfig(env).catch((): StoredConfig => ({}));
  const apiUrl = (config.api_url as string | null) ?? (env.SLIPWAY_API_URL || stored.api_url);
  const token = (config.token as string | null) ?? (env.SLIPWAY_TOKEN || stored.token);
  if (!apiUrl || !token)
    throw new CliError(
      "no API to talk to: set the provider's api_url and token (or SLIPWAY_API_URL and SLIPWAY_TOKEN), or run `slipway config --api-url URL --token TOKEN`",
    );
  const settings: Settings = {
    apiUrl: apiUrl.replace(/\/+$/, ''),
    token,
    ...(stored.org_id && { orgId: stored.org_id }),
  };
  const api = createApi(settings);
  const orgId = (config.org_id as string | null) ?? settings.orgId ?? (await onlyOrg(api));
  // Everything the CLI would print (build logs, rollout progress) goes to the plugin's
  // stderr, which Terraform keeps in its log; stdout carries only the handshake.
  const output = new Output(true, process.stderr, process.stderr);
  return {
    api,
    orgId,
    state: new StackState(api, 'terraform', orgId),
    backend: new SlipwayBackend(api, output, 'terraform', orgId, workdir, ownership),
  };
}
