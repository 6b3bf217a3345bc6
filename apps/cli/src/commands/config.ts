import { type Command } from 'commander';
import { call, createApi } from '../client';
import { configPath, readConfig, updateConfig } from '../config';
import { CliError, UsageError } from '../errors';
import { formatFields, type Output } from '../output';
import { terminalPrompter, type Prompter } from '../prompt';
import { handle, leaf, type JsonOption } from './common';

interface ConfigOptions extends JsonOption {
  apiUrl?: string;
  token?: string;
}

export const DEFAULT_API_URL = 'http://localhost:3000';

function checkedUrl(value: string, what = '--api-url'): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`${what} must be a URL such as https://api.example.com, not "${value}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`${what} must start with http:// or https://`);
  }
  return value.replace(/\/+$/, '');
}

/** Enough of a token to recognise it, never enough to use it. */
function masked(token: string | undefined): string | undefined {
  return token && `${token.slice(0, 8)}…`;
}

/**
 * Asks for the API URL (the stored one, else the local default, on Enter) and the token
 * (not echoed; Enter keeps the stored one), checks them with `GET /v1/me`, then saves.
 */
async function configureInteractively(prompter: Prompter, output: Output): Promise<void> {
  const stored = await readConfig();
  const defaultUrl = stored.api_url ?? DEFAULT_API_URL;
  const apiUrl = checkedUrl(
    await prompter.ask(`API URL [${defaultUrl}]: `, { fallback: defaultUrl }),
    'the API URL',
  );
  const keep = stored.token ? ` [Enter keeps ${masked(stored.token)}]` : '';
  const token = await prompter.ask(`Personal Access Token (input hidden)${keep}: `, {
    hidden: true,
    ...(stored.token && { fallback: stored.token }),
  });
  if (!token) throw new UsageError('no token given: nothing was saved');
  prompter.close();
  const api = createApi({ apiUrl, token });
  const { data: user } = await call(api, api.client.GET('/v1/me')).catch((error: unknown) => {
    const reason = error instanceof Error ? error.message : String(error);
    throw new CliError(`${reason}: nothing was saved`);
  });
  await updateConfig({ api_url: apiUrl, token });
  const shown = { path: configPath(), api_url: apiUrl, token: masked(token), user };
  output.result(shown, () =>
    formatFields([
      ['logged in as', `${user.email}${user.name ? ` (${user.name})` : ''}`],
      ['api url', apiUrl],
      ['saved to', shown.path],
    ]),
  );
}

export function registerConfig(program: Command): void {
  const config = leaf(
    program,
    'config',
    'Save the API URL and Personal Access Token',
    'slipway config              # asks, on a terminal\nslipway config --api-url http://localhost:3000 --token slp_pat_…',
    'Without options on a terminal it asks for both (the token is not echoed) and checks them with the API before saving. Stored in $XDG_CONFIG_HOME/slipway/config.json (default ~/.config), mode 0600; SLIPWAY_API_URL and SLIPWAY_TOKEN override the file.',
  )
    .option('--api-url <url>', 'the Slipway API, e.g. http://localhost:3000')
    .option('--token <token>', 'a Personal Access Token (slp_pat_…)');
  handle<ConfigOptions>(config, async (options, output) => {
    if (options.apiUrl === undefined && options.token === undefined) {
      if (process.stdin.isTTY !== true || process.stderr.isTTY !== true) {
        throw new UsageError(
          'no terminal to ask on: pass --api-url URL and --token TOKEN (or set SLIPWAY_API_URL and SLIPWAY_TOKEN)',
        );
      }
      const prompter = terminalPrompter();
      try {
        await configureInteractively(prompter, output);
      } finally {
        prompter.close();
      }
      return;
    }
    const saved = await updateConfig({
      ...(options.apiUrl !== undefined && { api_url: checkedUrl(options.apiUrl) }),
      ...(options.token !== undefined && { token: options.token }),
    });
    const shown = { path: configPath(), api_url: saved.api_url, token: masked(saved.token) };
    output.result(shown, () =>
      formatFields([
        ['saved to', shown.path],
        ['api url', shown.api_url],
        ['token', shown.token],
      ]),
    );
  });

  const whoami = leaf(program, 'whoami', 'Show the user the token belongs to', 'slipway whoami');
  handle(whoami, async (_options, output, connect) => {
    const api = await connect();
    const { data: user } = await call(api, api.client.GET('/v1/me'));
    output.result(user, () =>
      formatFields([
        ['id', user.id],
        ['email', user.email],
        ['name', user.name],
        ['admin', user.is_admin],
        ['api', api.settings.apiUrl],
      ]),
    );
  });
}
