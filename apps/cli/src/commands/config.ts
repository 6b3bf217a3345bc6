import { type Command } from 'commander';
import { call } from '../client';
import { configPath, updateConfig } from '../config';
import { UsageError } from '../errors';
import { formatFields } from '../output';
import { handle, leaf, type JsonOption } from './common';

interface ConfigOptions extends JsonOption {
  apiUrl?: string;
  token?: string;
}

function checkedUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`--api-url must be a URL such as https://api.example.com, not "${value}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError('--api-url must start with http:// or https://');
  }
  return value.replace(/\/+$/, '');
}

/** Enough of a token to recognise it, never enough to use it. */
function masked(token: string | undefined): string | undefined {
  return token && `${token.slice(0, 8)}…`;
}

export function registerConfig(program: Command): void {
  const config = leaf(
    program,
    'config',
    'Save the API URL and Personal Access Token',
    'slipway config --api-url http://localhost:3000 --token slp_pat_…',
    'Stored in $XDG_CONFIG_HOME/slipway/config.json (default ~/.config), mode 0600; SLIPWAY_API_URL and SLIPWAY_TOKEN override the file.',
  )
    .option('--api-url <url>', 'the Slipway API, e.g. http://localhost:3000')
    .option('--token <token>', 'a Personal Access Token (slp_pat_…)');
  handle<ConfigOptions>(config, async (options, output) => {
    if (options.apiUrl === undefined && options.token === undefined) {
      throw new UsageError('give --api-url and/or --token');
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
