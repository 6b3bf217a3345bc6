import { randomBytes } from 'node:crypto';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { useCliStack, type Result } from './support';

const FIXTURE = join(__dirname, 'fixtures', 'iac-stack', 'main.js');

// A whole stack's life (two deployments with a build, drift, import, destroy) in one test:
// on a busy CI machine it outlasts the CLI suite's 120 s default.
jest.setTimeout(300_000);

interface Planned {
  changes: { add: number; change: number; destroy: number };
  resources: {
    address: string;
    action: string;
    attributes: { name: string; before: unknown; after: unknown }[];
  }[];
}

interface Listed {
  id: string;
  name: string;
  labels: Record<string, string>;
}

describe('slipway iac (a CDK Terrain stack planned and applied against a running API)', () => {
  const cli = useCliStack();
  const admin = () => ({ Authorization: `Bearer ${cli.stack.t.adminToken}` });

  /** A stack directory: cdktf.json whose app is the fixture, and a source dir to build. */
  async function stackDir(): Promise<{ dir: string; env: Record<string, string> }> {
    const dir = join(cli.home, 'stack');
    const source = join(dir, 'web');
    await mkdir(source, { recursive: true });
    await writeFile(
      join(dir, 'cdktf.json'),
      JSON.stringify({ app: `${JSON.stringify(process.execPath)} ${JSON.stringify(FIXTURE)}` }),
    );
    await writeFile(
      join(source, 'Dockerfile'),
      `FROM ${cli.stack.baseImage}\nCOPY index.html /www/index.html\nCMD ["httpd", "-f", "-p", "8080", "-h", "/www"]\n`,
    );
    await writeFile(join(source, 'index.html'), 'web\n');
    const suffix = randomBytes(3).toString('hex');
    return {
      dir,
      env: {
        ...cli.adminEnv(),
        STACK_NAME: `shop-${suffix}`,
        STACK_PROJECT: `shop-${suffix}`,
        STACK_IMAGE: cli.stack.baseImage,
        STACK_SOURCE_DIR: source,
        TF_VAR_upstream_api_key: 'key-one',
      },
    };
  }

  const iac = (args: string[], env: Record<string, string>, dir: string): Promise<Result> =>
    cli.slipway(['iac', ...args], env, dir);

  async function planned(env: Record<string, string>, dir: string): Promise<[number, Planned]> {
    const result = await iac(['plan', '--json'], env, dir);
    expect(result.stderr).not.toMatch(/error:/);
    return [result.code, JSON.parse(result.stdout) as Planned];
  }

  const actions = (plan: Planned) =>
    Object.fromEntries(plan.resources.map((r) => [r.address, r.action]));

  async function services(projectId: string): Promise<Listed[]> {
    const res = await cli.stack.t.http
      .get(`/v1/services?project_id=${projectId}&per_page=100`)
      .set(admin())
      .expect(200);
    return (res.body as { data: Listed[] }).data;
  }

  it('plans, applies, re-plans nothing, updates one env var in place, corrects drift, imports and destroys', async () => {
    const { dir, env } = await stackDir();

    const [firstCode, first] = await planned(env, dir);
    expect(firstCode).toBe(2);
    expect(actions(first)).toEqual({
      'slipway_project.shop': 'create',
      'slipway_service.api': 'create',
      'slipway_service.web': 'create',
      'slipway_access_key.frontend': 'create',
    });
    const text = await iac(['plan'], env, dir);
    expect(text.stdout).toMatch(/\+ secret_env +=  ?\(sensitive value\)/);
    expect(text.stdout).toContain('Plan: 4 to add, 0 to change, 0 to destroy.');
    expect(text.stdout + text.stderr).not.toContain('key-one');

    const applied = await iac(['apply', '--auto-approve'], env, dir);
    expect({ code: applied.code, stderr: applied.stderr }).toEqual({
      code: 0,
      stderr: expect.stringContaining('slipway_service.web: created'),
    });
    expect(applied.stdout).toContain('Apply complete! Resources: 4 added, 0 changed, 0 destroyed.');
    const key = /slipway_access_key\.frontend\.key = (\S+)/.exec(applied.stdout)?.[1];
    expect(key).toMatch(/^slp_/);

    const projects = await cli.stack.t.http
      .get(`/v1/projects?label=slipway.dev/stack=${env.STACK_NAME}`)
      .set(admin())
      .expect(200);
    const project = (projects.body as { data: Listed[] }).data[0];
    expect(project?.name).toBe(env.STACK_PROJECT);
    const owned = await services(project?.id ?? '');
    expect(owned.map((s) => s.name).sort()).toEqual(['api', 'web']);
    const api = owned.find((s) => s.name === 'api');

    // Unchanged: nothing to do (the packed source hashes the same, secrets digest the same).
    const [sameCode, same] = await planned(env, dir);
    expect(sameCode).toBe(0);
    expect(Object.values(actions(same))).toEqual(['no-op', 'no-op', 'no-op', 'no-op']);

    // One env var: one in-place update, shown by key.
    const debug = { ...env, STACK_LOG_LEVEL: 'debug' };
    const [changedCode, changed] = await planned(debug, dir);
    expect(changedCode).toBe(2);
    expect(changed.changes).toEqual({ add: 0, change: 1, destroy: 0 });
    const update = changed.resources.find((r) => r.action === 'update');
    expect(update?.address).toBe('slipway_service.api');
    expect(update?.attributes).toEqual([
      {
        name: 'env',
        before: { LOG_LEVEL: 'info' },
        after: { LOG_LEVEL: 'debug' },
        forces_replacement: false,
      },
    ]);
    expect((await iac(['plan'], debug, dir)).stdout).toContain('~ LOG_LEVEL = "info" -> "debug"');
    expect((await iac(['apply', '--auto-approve'], debug, dir)).code).toBe(0);
    expect((await planned(debug, dir))[0]).toBe(0);

    // A secret's new value is seen through the digest, never shown.
    const rotated = { ...debug, TF_VAR_upstream_api_key: 'key-two' };
    const [, secretPlan] = await planned(rotated, dir);
    expect(secretPlan.resources.find((r) => r.action === 'update')?.attributes).toEqual([
      {
        name: 'secret_env',
        before: { sensitive: true },
        after: { sensitive: true },
        forces_replacement: false,
      },
    ]);
    expect((await iac(['apply', '--auto-approve'], rotated, dir)).code).toBe(0);

    // Drift made with the API shows, and apply puts it back.
    await cli.stack.t.http
      .put(`/v1/services/${api?.id}`)
      .set(admin())
      .send({ access_control: { access_type: 'private' } })
      .expect(200);
    const [, drift] = await planned(rotated, dir);
    expect(drift.resources.find((r) => r.action === 'update')?.attributes).toEqual([
      { name: 'access_type', before: 'private', after: 'public', forces_replacement: false },
    ]);
    expect((await iac(['apply', '--auto-approve'], rotated, dir)).code).toBe(0);
    expect((await planned(rotated, dir))[0]).toBe(0);

    // A service made outside the stack, then imported into it.
    const outsider = await cli.stack.createService('outsider');
    const other = await cli.stack.createService('untouched');
    const outsiderView = await cli.stack.t.http
      .get(`/v1/services/${outsider}`)
      .set(admin())
      .expect(200);
    const { data: outsiderService } = outsiderView.body as {
      data: { name: string; project_id: string };
    };
    const withLegacy = {
      ...rotated,
      STACK_IMPORTED: outsiderService.name,
      STACK_IMPORTED_PROJECT: outsiderService.project_id,
    };
    expect(actions((await planned(withLegacy, dir))[1])['slipway_service.legacy']).toBe('create');
    const imported = await iac(['import', 'slipway_service.legacy', outsider], withLegacy, dir);
    expect({ code: imported.code, stdout: imported.stdout }).toEqual({
      code: 0,
      stdout: `Imported slipway_service.legacy (id ${outsider}).\n`,
    });
    // Adopted, it now differs only in what the stack declares for it: it was never deployed.
    expect(actions((await planned(withLegacy, dir))[1])['slipway_service.legacy']).toBe('update');

    // Destroy removes what the stack owns, the import included, and nothing else.
    const destroyed = await iac(['destroy', '--auto-approve'], withLegacy, dir);
    expect({ code: destroyed.code, stderr: destroyed.stderr }).toEqual({
      code: 0,
      stderr: expect.stringContaining('Plan: 0 to add, 0 to change, 5 to destroy.') as string,
    });
    await cli.stack.t.http.get(`/v1/projects/${project?.id}`).set(admin()).expect(404);
    await cli.stack.t.http.get(`/v1/services/${outsider}`).set(admin()).expect(404);
    await cli.stack.t.http.get(`/v1/services/${other}`).set(admin()).expect(200);
    const [afterCode, after] = await planned(withLegacy, dir);
    expect(afterCode).toBe(2);
    expect(Object.values(actions(after)).every((a) => a === 'create')).toBe(true);
  });

  describe('refuses, saying why', () => {
    it('a directory without cdktf.json (usage, 2)', async () => {
      const result = await iac(['plan'], cli.adminEnv(), cli.home);
      expect(result).toMatchObject({
        code: 2,
        stderr: expect.stringContaining('no cdktf.json in'),
      });
    });

    it('an apply without --auto-approve when stdin is not a terminal (usage, 2)', async () => {
      const { dir, env } = await stackDir();
      const result = await iac(['apply'], env, dir);
      expect(result).toMatchObject({
        code: 2,
        stderr: expect.stringContaining('apply these changes needs --auto-approve'),
      });
    });

    it('a sensitive variable with no value (1)', async () => {
      const { dir, env } = await stackDir();
      const { TF_VAR_upstream_api_key: _unset, ...without } = env;
      const result = await iac(['plan'], without, dir);
      expect(result).toMatchObject({
        code: 1,
        stderr: expect.stringContaining(
          'variable upstream_api_key has no value: set TF_VAR_upstream_api_key',
        ),
      });
    });

    it('a synthesized stack with invalid attributes, naming the resource and field (1)', async () => {
      const synthDir = join(cli.home, 'broken');
      await mkdir(synthDir, { recursive: true });
      await writeFile(
        join(synthDir, 'cdk.tf.json'),
        JSON.stringify({
          '//': { metadata: { stackName: 'broken' } },
          resource: { slipway_project: { p: { name: '' } } },
        }),
      );
      const result = await iac(['plan', '--synth-dir', synthDir], cli.adminEnv(), cli.home);
      expect(result).toMatchObject({
        code: 1,
        stderr: expect.stringContaining('slipway_project.p.name:'),
      });
    });

    it('an invalid token, with the API message (1)', async () => {
      const { dir, env } = await stackDir();
      const result = await iac(['plan'], { ...env, SLIPWAY_TOKEN: 'slp_pat_nope' }, dir);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/error: .*token/i);
    });

    it('an API refusal during apply, naming the resource, and a re-run completes', async () => {
      const { dir, env } = await stackDir();
      // The stack's project name is taken in the org: the project cannot be created.
      const blocker = await cli.stack.t.http
        .post('/v1/projects')
        .set(admin())
        .send({ org_id: await adminOrg(), name: env.STACK_PROJECT })
        .expect(200);
      const result = await iac(['apply', '--auto-approve'], env, dir);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/error: slipway_project\.shop: .*(exists|taken|already)/i);
      expect(result.stderr).toContain('applied before it: 0 added');

      const { data: taken } = blocker.body as { data: Listed };
      await cli.stack.t.http.delete(`/v1/projects/${taken.id}`).set(admin()).expect(200);
      const rerun = await iac(['apply', '--auto-approve', '--outputs-file', 'keys.json'], env, dir);
      expect({ code: rerun.code, stdout: rerun.stdout }).toEqual({
        code: 0,
        stdout: expect.stringContaining('Resources: 4 added') as string,
      });
      expect(rerun.stdout).toContain('slipway_access_key.frontend.key = (sensitive)');
      const keys = JSON.parse(await readFile(join(dir, 'keys.json'), 'utf8')) as Record<
        string,
        string
      >;
      expect(keys['slipway_access_key.frontend.key']).toMatch(/^slp_/);
      expect((await stat(join(dir, 'keys.json'))).mode & 0o777).toBe(0o600);
      expect((await iac(['destroy', '--auto-approve'], env, dir)).code).toBe(0);
    });
  });

  async function adminOrg(): Promise<string> {
    const res = await cli.stack.t.http.get('/v1/orgs').set(admin()).expect(200);
    return (res.body as { data: Listed[] }).data[0]?.id ?? '';
  }
});
