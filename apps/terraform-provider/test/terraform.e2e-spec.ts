/**
 * `terraform init / plan / apply / import / destroy` with the real terraform binary and
 * the provider from a local filesystem mirror, against a running API on the docker runtime
 * (containers really start, sources really build) — in HCL, and for a stack synthesized
 * from the `@slipway/cdktf` constructs, whose plan must match `slipway iac plan`'s.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DockerStack, startDockerStack } from '@slipway/api-testing';
import { actionsOf, installProvider, terraform, terraformVersion, type Run } from './terraform';

const CLI = join(__dirname, '..', '..', 'cli', 'bin', 'slipway.js');
/** The stack `slipway iac`'s own tests plan and apply. */
const IAC_FIXTURE = join(__dirname, '..', '..', 'cli', 'test', 'fixtures', 'iac-stack', 'main.js');

interface Listed {
  id: string;
  name: string;
  description: string | null;
  status?: string;
}

describe('terraform with terraform-provider-slipway', () => {
  let stack: DockerStack;
  let apiUrl = '';
  let home = '';
  let cliConfig = '';

  beforeAll(async () => {
    terraformVersion();
    stack = await startDockerStack({ builder: true });
    apiUrl = await stack.t.listen();
  });
  afterAll(async () => {
    await stack?.close();
  });
  beforeEach(async () => {
    home = await mkdtemp(join(tmpdir(), 'slipway-terraform-'));
    cliConfig = await installProvider(home);
  });
  afterEach(async () => {
    await rm(home, { recursive: true, force: true });
  });

  const admin = () => ({ Authorization: `Bearer ${stack.t.adminToken}` });
  const env = (more: Record<string, string> = {}) => ({
    HOME: home,
    TF_CLI_CONFIG_FILE: cliConfig,
    SLIPWAY_API_URL: apiUrl,
    SLIPWAY_TOKEN: stack.t.adminToken,
    ...more,
  });
  const ok = (run: Run, code = 0) =>
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code, stderr: expect.any(String) });

  /** plan -out, then the actions of the saved plan, and the human plan text. */
  async function plan(
    dir: string,
    vars: Record<string, string>,
  ): Promise<[Record<string, string>, string]> {
    const planned = await terraform(['plan', '-out=tfplan', '-detailed-exitcode'], dir, env(vars));
    expect([0, 2]).toContain(planned.code);
    const shown = await terraform(['show', '-json', 'tfplan'], dir, env(vars));
    ok(shown);
    return [actionsOf(shown.stdout), planned.stdout];
  }

  async function projectNamed(name: string): Promise<Listed | undefined> {
    const res = await stack.t.http.get('/v1/projects?per_page=100').set(admin()).expect(200);
    return (res.body as { data: Listed[] }).data.find((p) => p.name === name);
  }

  it('inits from the local mirror, plans, applies, re-plans nothing, corrects drift, imports and destroys', async () => {
    const dir = join(home, 'hcl');
    await mkdir(dir);
    const name = `tf-${randomBytes(3).toString('hex')}`;
    const main = (logLevel: string, extra = '') => `
terraform {
  required_providers {
    slipway = { source = "slipway/slipway" }
  }
}
variable "greeting" {
  type      = string
  sensitive = true
}
provider "slipway" {}
data "slipway_resource_profile" "nano" {
  name = "nano"
}
resource "slipway_project" "shop" {
  name        = "${name}"
  description = "made by terraform"
}
resource "slipway_service" "api" {
  project_id       = slipway_project.shop.id
  name             = "api"
  image            = "${stack.baseImage}"
  command          = ["sh", "-c", "mkdir -p /tmp/www && echo api > /tmp/www/index.html && exec httpd -f -p 8080 -h /tmp/www"]
  resource_profile = data.slipway_resource_profile.nano.name
  env              = { LOG_LEVEL = "${logLevel}" }
  secret_env       = { GREETING = var.greeting }
  # May sleep: the idle timeout left out is the API's default, which is no change.
  autoscaling = { min_instances = 0, max_instances = 2, target_cpu_percent = 70, target_concurrency = 10 }
}
resource "slipway_access_key" "frontend" {
  name       = "frontend"
  scope      = "project"
  project_id = slipway_project.shop.id
}
output "hostname" {
  value = slipway_service.api.hostname
}
${extra}`;
    await writeFile(join(dir, 'main.tf'), main('info'));
    const vars = { TF_VAR_greeting: 'hello-secret' };

    const init = await terraform(['init', '-input=false'], dir, env());
    ok(init);
    expect(init.stdout).toContain('Installing slipway/slipway v0.1.0');
    expect(await readFile(join(dir, '.terraform.lock.hcl'), 'utf8')).toContain(
      'registry.terraform.io/slipway/slipway',
    );

    const [first, firstText] = await plan(dir, vars);
    expect(first).toEqual({
      'slipway_project.shop': 'create',
      'slipway_service.api': 'create',
      'slipway_access_key.frontend': 'create',
    });
    expect(firstText).toContain('Plan: 3 to add, 0 to change, 0 to destroy.');
    expect(firstText).toMatch(/secret_env\s+= \(sensitive value\)/);
    expect(firstText).not.toContain('hello-secret');

    const applied = await terraform(['apply', '-auto-approve', 'tfplan'], dir, env(vars));
    ok(applied);
    expect(applied.stdout).toContain('Apply complete! Resources: 3 added, 0 changed, 0 destroyed.');
    expect(applied.stdout).toMatch(/hostname = "api-[a-z0-9]+\./);
    const project = await projectNamed(name);
    const services = await stack.t.http
      .get(`/v1/services?project_id=${project?.id ?? ''}`)
      .set(admin())
      .expect(200);
    const [api] = (services.body as { data: Listed[] }).data;
    expect(api).toMatchObject({ name: 'api', status: 'running' });
    const state = await readFile(join(dir, 'terraform.tfstate'), 'utf8');
    expect(state).toContain(api?.id);

    // Nothing changed: nothing to do (the secret compares by digest, not by value).
    const same = await terraform(['plan', '-detailed-exitcode'], dir, env(vars));
    ok(same);
    expect(same.stdout).toContain('No changes.');

    // A change made through the API is drift: the plan puts it back.
    await stack.t.http
      .patch(`/v1/projects/${project?.id ?? ''}`)
      .set(admin())
      .send({ description: 'changed by hand' })
      .expect(200);
    const [drifted, driftText] = await plan(dir, vars);
    expect(drifted).toEqual({
      'slipway_project.shop': 'update',
      'slipway_service.api': 'no-op',
      'slipway_access_key.frontend': 'no-op',
    });
    expect(driftText).toContain('~ description = "changed by hand" -> "made by terraform"');
    ok(await terraform(['apply', '-auto-approve', 'tfplan'], dir, env(vars)));
    expect((await projectNamed(name))?.description).toBe('made by terraform');

    // One env var: the service is updated in place with a new deployment.
    await writeFile(join(dir, 'main.tf'), main('debug'));
    const [changed] = await plan(dir, vars);
    expect(changed['slipway_service.api']).toBe('update');
    const redeployed = await terraform(['apply', '-auto-approve', 'tfplan'], dir, env(vars));
    ok(redeployed);
    expect(redeployed.stdout).toContain('0 added, 1 changed, 0 destroyed');

    // A project made elsewhere is imported, and then matches its declaration.
    const legacyName = `${name}-legacy`;
    const orgs = await stack.t.http.get('/v1/orgs').set(admin()).expect(200);
    const org = (orgs.body as { data: { id: string }[] }).data[0];
    const made = await stack.t.http
      .post('/v1/projects')
      .set(admin())
      .send({ org_id: org?.id, name: legacyName })
      .expect(200);
    const legacyId = (made.body as { data: { id: string } }).data.id;
    await writeFile(
      join(dir, 'main.tf'),
      main('debug', `resource "slipway_project" "legacy" {\n  name = "${legacyName}"\n}\n`),
    );
    const imported = await terraform(
      ['import', 'slipway_project.legacy', legacyId],
      dir,
      env(vars),
    );
    ok(imported);
    expect(imported.stdout).toContain('Import successful!');
    const afterImport = await terraform(['plan', '-detailed-exitcode'], dir, env(vars));
    ok(afterImport);

    const destroyed = await terraform(['destroy', '-auto-approve'], dir, env(vars));
    ok(destroyed);
    expect(destroyed.stdout).toContain('Destroy complete! Resources: 4 destroyed.');
    expect(await projectNamed(name)).toBeUndefined();
    expect(await projectNamed(legacyName)).toBeUndefined();
    await stack.t.http
      .get(`/v1/services/${api?.id ?? ''}`)
      .set(admin())
      .expect(404);
  });

  it('plans a stack synthesized from the @slipway/cdktf constructs as slipway iac plans it, and applies it', async () => {
    const suffix = randomBytes(3).toString('hex');
    const source = join(home, 'web');
    await mkdir(source);
    await writeFile(
      join(source, 'Dockerfile'),
      `FROM ${stack.baseImage}\nCOPY index.html /www/index.html\nCMD ["httpd", "-f", "-p", "8080", "-h", "/www"]\n`,
    );
    await writeFile(join(source, 'index.html'), 'web\n');
    const outdir = join(home, 'cdktf.out');
    const stackEnv = (logLevel: string) => ({
      STACK_NAME: `shop-${suffix}`,
      STACK_PROJECT: `shop-${suffix}`,
      STACK_IMAGE: stack.baseImage,
      STACK_SOURCE_DIR: source,
      STACK_LOG_LEVEL: logLevel,
    });
    const synth = (logLevel: string) =>
      new Promise<void>((resolve, reject) =>
        execFile(
          process.execPath,
          [IAC_FIXTURE],
          // The local backend keeps its state beside the app's working directory: a temporary one.
          { cwd: home, env: { ...process.env, ...stackEnv(logLevel), CDKTF_OUTDIR: outdir } },
          (error, _stdout, stderr) =>
            error ? reject(new Error(`synthesis failed: ${stderr}`)) : resolve(),
        ),
      );
    await synth('info');
    const dir = join(outdir, 'stacks', `shop-${suffix}`);
    const vars = { TF_VAR_slipway_token: stack.t.adminToken, TF_VAR_upstream_api_key: 'key-one' };

    const iacPlan = await new Promise<Run>((resolve) =>
      execFile(
        process.execPath,
        [CLI, 'iac', 'plan', '--json', '--synth-dir', outdir],
        { env: { PATH: process.env.PATH ?? '', ...env(vars) } },
        (error, stdout, stderr) =>
          resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
      ),
    );
    const iacActions = Object.fromEntries(
      (
        JSON.parse(iacPlan.stdout) as { resources: { address: string; action: string }[] }
      ).resources.map((r) => [r.address, r.action]),
    );

    ok(await terraform(['init', '-input=false'], dir, env()));
    const [planned] = await plan(dir, vars);
    expect(planned).toEqual(iacActions);
    expect(planned).toEqual({
      'slipway_project.shop': 'create',
      'slipway_service.api': 'create',
      'slipway_service.web': 'create',
      'slipway_access_key.frontend': 'create',
    });

    const applied = await terraform(['apply', '-auto-approve', 'tfplan'], dir, env(vars));
    ok(applied);
    expect(applied.stdout).toContain('Apply complete! Resources: 4 added, 0 changed, 0 destroyed.');
    const same = await terraform(['plan', '-detailed-exitcode'], dir, env(vars));
    ok(same);

    // As with slipway iac: one env var is one in-place update of that one service.
    await synth('debug');
    const [changed] = await plan(dir, vars);
    expect(changed).toEqual({
      'slipway_project.shop': 'no-op',
      'slipway_service.api': 'update',
      'slipway_service.web': 'no-op',
      'slipway_access_key.frontend': 'no-op',
    });

    // A changed file in the source directory plans a new build of that service only.
    await writeFile(join(source, 'index.html'), 'web, second edition\n');
    const [rebuilt] = await plan(dir, vars);
    expect(rebuilt['slipway_service.web']).toBe('update');

    const destroyed = await terraform(['destroy', '-auto-approve'], dir, env(vars));
    ok(destroyed);
    expect(destroyed.stdout).toContain('Destroy complete! Resources: 4 destroyed.');
  });
});
