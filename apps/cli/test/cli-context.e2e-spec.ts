import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { BIN, useCliStack } from './support';

const run = promisify(execFile);

interface Profile {
  id: string;
  name: string;
  cpu: string;
  memory: string;
}

interface AccessKey {
  id: string;
  name: string;
  scope: 'org' | 'project';
  org_id: string;
  project_id: string | null;
  status: string;
  key?: string;
}

describe('slipway context: resource profiles, access keys and interactive config', () => {
  const cli = useCliStack();
  const { slipway, json } = cli;

  async function selectDefaultProject(): Promise<{ id: string; org_id: string }> {
    await json(['config', '--api-url', cli.apiUrl, '--token', cli.stack.t.adminToken]);
    const projects = await json<{ id: string; name: string; org_id: string }[]>([
      'project',
      'list',
    ]);
    const project = projects.find((p) => p.name === 'default');
    if (!project) throw new Error('the admin has no default project');
    await json(['project', 'set', '--id', project.id]);
    return project;
  }

  /** Profiles are an admin's to create: the CLI only lists and chooses them. */
  async function createProfile(): Promise<Profile> {
    const response = await fetch(`${cli.apiUrl}/v1/resource-profiles`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${cli.stack.t.adminToken}`,
        'Content-Type': 'application/json',
      },
      body: JSON.stringify({
        name: `cli-${randomBytes(3).toString('hex')}`,
        cpu: '250m',
        memory: '96Mi',
      }),
    });
    expect(response.status).toBe(200);
    return ((await response.json()) as { data: Profile }).data;
  }

  it('lists resource profiles, remembers one, and deploys with it unless told otherwise', async () => {
    await selectDefaultProject();
    const profile = await createProfile();
    const listed = await json<Profile[]>(['resource-profile', 'list']);
    expect(listed).toContainEqual(expect.objectContaining({ id: profile.id, cpu: '250m' }));

    await json(['resource-profile', 'set', '--id', profile.id]);
    const file = join(cli.home, 'xdg', 'slipway', 'config.json');
    expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({
      resource_profile_id: profile.id,
    });
    const table = await slipway(['resource-profile', 'list']);
    expect(table.stdout).toMatch(new RegExp(`^\\*\\s+${profile.id}\\s+${profile.name}`, 'm'));

    const serviceId = await cli.stack.createService('cli-profile');
    const deployed = await json<{
      resource_profile_id: string;
      resources: { limits: { memory: string } };
    }>(['service', 'deploy', '--id', serviceId, '--image', cli.stack.siteImage, '--no-wait']);
    expect(deployed).toMatchObject({
      resource_profile_id: profile.id,
      resources: { limits: { memory: '96Mi' } },
    });

    const unknown = await slipway(['resource-profile', 'set', '--id', randomUUID()]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/^error: .*not found/i);
    expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({
      resource_profile_id: profile.id,
    });
  });

  it('creates project and org keys, shows each once, lists and revokes them', async () => {
    const project = await selectDefaultProject();
    const projectKey = await json<AccessKey>(['access-key', 'create', '--name', 'frontend']);
    expect(projectKey).toMatchObject({
      scope: 'project',
      project_id: project.id,
      status: 'active',
      key: expect.stringMatching(/^slp_ak_/),
    });
    const orgKey = await json<AccessKey>(['access-key', 'create', '--name', 'ci', '--org-scope']);
    expect(orgKey).toMatchObject({ scope: 'org', org_id: project.org_id, project_id: null });

    const human = await slipway(['access-key', 'create', '--name', 'shown']);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/^key: +slp_ak_\S+$/m);

    const listed = await json<AccessKey[]>(['access-key', 'list']);
    expect(listed.map((k) => k.id)).toEqual(expect.arrayContaining([projectKey.id, orgKey.id]));
    expect(listed.every((k) => k.key === undefined)).toBe(true);

    const revoked = await json<AccessKey>(['access-key', 'revoke', '--id', projectKey.id]);
    expect(revoked).toMatchObject({ id: projectKey.id, status: 'revoked' });

    const unknown = await slipway(['access-key', 'revoke', '--id', randomUUID()]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/^error: .*not found/i);
    const orgWithoutScope = await slipway(['access-key', 'create', '--name', 'x', '--org-id', 'o']);
    expect(orgWithoutScope).toMatchObject({
      code: 2,
      stderr: 'error: --org-id is for an org-scoped key: add --org-scope\n',
    });
  });

  it('asks for flags when there is no terminal to prompt on', async () => {
    const result = await slipway(['config']);
    expect(result).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'error: no terminal to ask on: pass --api-url URL and --token TOKEN (or set SLIPWAY_API_URL and SLIPWAY_TOKEN)\n',
    });
  });

  describe('interactive `slipway config` in a terminal (tmux)', () => {
    const socket = `slipway-cli-${randomBytes(4).toString('hex')}`;
    const tmux = (...args: string[]): Promise<{ stdout: string }> =>
      run('tmux', ['-L', socket, ...args]);
    afterEach(async () => {
      // Only this test's server, by its own socket name.
      await tmux('kill-server').catch(() => undefined);
    });

    /** Runs `slipway config` in a fresh tmux session; the pane prints `exit=N` at the end. */
    async function startConfig(): Promise<void> {
      const env = [
        `PATH=${process.env.PATH ?? ''}`,
        `HOME=${cli.home}`,
        `XDG_CONFIG_HOME=${join(cli.home, 'xdg')}`,
        'TERM=xterm',
        'NO_COLOR=1',
      ];
      const command = `env -i ${env.map((v) => `'${v}'`).join(' ')} '${process.execPath}' '${BIN}' config; echo "exit=$?"; sleep 120`;
      await tmux('new-session', '-d', '-s', 'config', '-x', '200', '-y', '40', command);
    }

    async function screen(): Promise<string> {
      return (await tmux('capture-pane', '-p', '-t', 'config')).stdout;
    }

    async function waitForScreen(pattern: RegExp): Promise<string> {
      const deadline = Date.now() + 20_000;
      for (;;) {
        const shown = await screen();
        if (pattern.test(shown)) return shown;
        if (Date.now() > deadline) {
          throw new Error(`the terminal never showed ${pattern}; it shows:\n${shown}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }

    async function type(text: string): Promise<void> {
      if (text !== '') await tmux('send-keys', '-t', 'config', '-l', text);
      await tmux('send-keys', '-t', 'config', 'Enter');
    }

    it('prompts for the URL and a hidden token, checks them, and saves the file 0600', async () => {
      await startConfig();
      await waitForScreen(/API URL \[http:\/\/localhost:3000\]:\s*$/m);
      await type(cli.apiUrl);
      await waitForScreen(/Personal Access Token \(input hidden\):\s*$/m);
      await type(cli.stack.t.adminToken);
      const shown = await waitForScreen(/^exit=\d+$/m);
      expect(shown).toMatch(/^exit=0$/m);
      expect(shown).toMatch(/^logged in as: +\S+@\S+/m);
      expect(shown).toContain(`API URL [http://localhost:3000]: ${cli.apiUrl}`);
      expect(shown).not.toContain(cli.stack.t.adminToken);

      const file = join(cli.home, 'xdg', 'slipway', 'config.json');
      expect((await stat(file)).mode & 0o777).toBe(0o600);
      expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({
        api_url: cli.apiUrl,
        token: cli.stack.t.adminToken,
      });
    });

    it('offers the saved URL, and saves nothing when the API refuses the token', async () => {
      await json(['config', '--api-url', cli.apiUrl]);
      await startConfig();
      await waitForScreen(
        new RegExp(`API URL \\[${cli.apiUrl.replace(/\./g, '\\.')}\\]:\\s*$`, 'm'),
      );
      await type(''); // Enter keeps the saved URL
      await waitForScreen(/Personal Access Token \(input hidden\):\s*$/m);
      await type('slp_pat_not_a_real_token_000000');
      const shown = await waitForScreen(/^exit=\d+$/m);
      expect(shown).toMatch(/^error: The token is not valid: nothing was saved$/m);
      expect(shown).toMatch(/^exit=1$/m);
      expect(shown).not.toContain('not_a_real_token');
      const file = join(cli.home, 'xdg', 'slipway', 'config.json');
      expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ api_url: cli.apiUrl });
    });
  });
});
