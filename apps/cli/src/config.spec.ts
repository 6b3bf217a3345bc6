import { mkdtemp, readFile, rm, stat, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configPath, loadSettings, readConfig, updateConfig } from './config';
import { CliError } from './errors';

describe('config file', () => {
  let dir: string;
  let env: Record<string, string | undefined>;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'slipway-cli-config-'));
    env = { XDG_CONFIG_HOME: join(dir, 'xdg'), HOME: join(dir, 'home') };
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('lives under $XDG_CONFIG_HOME, else ~/.config', () => {
    expect(configPath(env)).toBe(join(dir, 'xdg', 'slipway', 'config.json'));
    expect(configPath({ HOME: join(dir, 'home') })).toBe(
      join(dir, 'home', '.config', 'slipway', 'config.json'),
    );
  });

  it('is written with mode 0600 in a 0700 directory, and merged on update', async () => {
    await updateConfig({ api_url: 'http://api.test', token: 'slp_pat_one' }, env);
    await updateConfig({ project_id: 'p1', org_id: 'o1' }, env);
    const path = configPath(env);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect((await stat(join(dir, 'xdg', 'slipway'))).mode & 0o777).toBe(0o700);
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual({
      api_url: 'http://api.test',
      token: 'slp_pat_one',
      org_id: 'o1',
      project_id: 'p1',
    });
    await updateConfig({ project_id: undefined }, env);
    expect(await readConfig(env)).toEqual({
      api_url: 'http://api.test',
      token: 'slp_pat_one',
      org_id: 'o1',
    });
  });

  it('tightens the mode of a file that was readable by others', async () => {
    await mkdir(join(dir, 'xdg', 'slipway'), { recursive: true, mode: 0o755 });
    await writeFile(configPath(env), '{"token":"old"}', { mode: 0o644 });
    await updateConfig({ token: 'new' }, env);
    expect((await stat(configPath(env))).mode & 0o777).toBe(0o600);
    expect((await stat(join(dir, 'xdg', 'slipway'))).mode & 0o777).toBe(0o700);
  });

  it('reads as empty when missing, and says which file is broken', async () => {
    expect(await readConfig(env)).toEqual({});
    await mkdir(join(dir, 'xdg', 'slipway'), { recursive: true });
    await writeFile(configPath(env), '{not json');
    await expect(readConfig(env)).rejects.toThrow(`${configPath(env)} is not valid JSON`);
  });

  it('lets SLIPWAY_API_URL and SLIPWAY_TOKEN override the file', async () => {
    await updateConfig(
      { api_url: 'http://file.test/', token: 'slp_pat_file', project_id: 'p1' },
      env,
    );
    expect(await loadSettings(env)).toEqual({
      apiUrl: 'http://file.test',
      token: 'slp_pat_file',
      projectId: 'p1',
    });
    expect(
      await loadSettings({
        ...env,
        SLIPWAY_API_URL: 'http://env.test',
        SLIPWAY_TOKEN: 'slp_pat_env',
      }),
    ).toEqual({ apiUrl: 'http://env.test', token: 'slp_pat_env', projectId: 'p1' });
  });

  it('says how to configure when nothing is set', async () => {
    const failure = loadSettings(env);
    await expect(failure).rejects.toBeInstanceOf(CliError);
    await expect(loadSettings(env)).rejects.toThrow(
      'no API URL and token configured: run `slipway config --api-url URL --token TOKEN`',
    );
    await expect(loadSettings({ ...env, SLIPWAY_API_URL: 'http://x' })).rejects.toThrow(
      'no token configured',
    );
  });
});
