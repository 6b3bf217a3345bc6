import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { apply, ApplyError, type Backend } from './apply';
import { plan, UNKNOWN, type ActualResource, type Comparable } from './plan';
import { planJson, renderPlan } from './render';
import { autoscalingAsApplied } from './resources';
import { loadStack, locateStack, type StackDocument } from './stack';

const PROJECT_ID = '11111111-1111-4111-8111-111111111111';

function stackFile(resource: Record<string, unknown>, extra: Record<string, unknown> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'slipway-iac-'));
  const file = join(dir, 'cdk.tf.json');
  writeFileSync(
    file,
    JSON.stringify({
      '//': { metadata: { stackName: 'shop' } },
      provider: { slipway: [{ token: '${var.slipway_token}' }] },
      variable: { slipway_token: { sensitive: true }, key: { sensitive: true } },
      resource,
      ...extra,
    }),
  );
  return file;
}

const shopStack = (env: Record<string, string> = { LOG_LEVEL: 'info' }): StackDocument =>
  loadStack(
    stackFile({
      slipway_service: {
        api: {
          project_id: '${slipway_project.shop.id}',
          name: 'api',
          image: 'nginx:1.27',
          env,
          secret_env: { TOKEN: '${var.key}' },
        },
      },
      slipway_project: { shop: { name: 'shop', description: 'The shop' } },
    }),
  );

const asIs: Comparable = (_declared, resolved) => Promise.resolve(resolved);
const variables = (name: string) => (name === 'key' ? 's3cret' : undefined);

function actualProject(): ActualResource {
  return {
    type: 'slipway_project',
    address: 'slipway_project.shop',
    id: PROJECT_ID,
    attributes: { name: 'shop', description: 'The shop' },
    computed: { id: PROJECT_ID },
  };
}

function actualService(env: Record<string, string>): ActualResource {
  return {
    type: 'slipway_service',
    address: 'slipway_service.api',
    id: 'svc-1',
    attributes: {
      project_id: PROJECT_ID,
      name: 'api',
      image: 'nginx:1.27',
      env,
      secret_env: { TOKEN: 's3cret' },
    },
    computed: { id: 'svc-1', hostname: 'api-1.localhost' },
  };
}

describe('the stack document', () => {
  it('orders resources after what they reference', () => {
    expect(shopStack().resources.map((r) => r.address)).toEqual([
      'slipway_project.shop',
      'slipway_service.api',
    ]);
  });

  it('refuses invalid attributes, naming the address and the field', () => {
    const file = stackFile({
      slipway_service: {
        api: {
          project_id: PROJECT_ID,
          name: 'Bad_Name',
          image: 'x',
          source: { path: '.', dockerfile: 'D', context: '.' },
        },
      },
    });
    expect(() => loadStack(file)).toThrow(/slipway_service\.api\.name: must be a DNS label/);
    expect(() => loadStack(file)).toThrow(/declares either image or source/);
  });

  it('takes concurrency autoscaling and an idle timeout only for a service that may sleep', () => {
    const service = (autoscaling: Record<string, number>) =>
      stackFile({
        slipway_service: {
          api: { project_id: PROJECT_ID, name: 'api', image: 'x', autoscaling },
        },
      });
    const sleeps = {
      min_instances: 0,
      max_instances: 4,
      target_cpu_percent: 70,
      target_concurrency: 20,
      idle_timeout_seconds: 600,
    };
    expect(loadStack(service(sleeps)).resources[0]?.config).toMatchObject({ autoscaling: sleeps });
    expect(() => loadStack(service({ ...sleeps, min_instances: 1 }))).toThrow(
      'slipway_service.api.autoscaling.idle_timeout_seconds: only applies with min_instances 0 (a service that may sleep)',
    );
    expect(() => loadStack(service({ ...sleeps, idle_timeout_seconds: 5 }))).toThrow(
      /autoscaling\.idle_timeout_seconds: Too small: expected number to be >=10/,
    );
    expect(() => loadStack(service({ ...sleeps, target_concurrency: 1001 }))).toThrow(
      /autoscaling\.target_concurrency: Too big: expected number to be <=1000/,
    );
  });

  it('reads an autoscaling block that may sleep with the default idle timeout, as the API holds it', () => {
    const base = { min_instances: 0, max_instances: 2, target_cpu_percent: 80 };
    expect(autoscalingAsApplied(base)).toEqual({ ...base, idle_timeout_seconds: 900 });
    expect(autoscalingAsApplied({ ...base, idle_timeout_seconds: 60 }).idle_timeout_seconds).toBe(
      60,
    );
    expect(autoscalingAsApplied({ ...base, min_instances: 1 })).toEqual({
      ...base,
      min_instances: 1,
    });
  });

  it('refuses a reference to a resource the stack does not declare', () => {
    const file = stackFile({
      slipway_service: {
        api: { project_id: '${slipway_project.gone.id}', name: 'api', image: 'x' },
      },
    });
    expect(() => loadStack(file)).toThrow(
      /references slipway_project\.gone, which the stack does not declare/,
    );
  });

  it('finds the stack through the synth manifest, and says which stacks there are', () => {
    const file = stackFile({});
    const dir = join(file, '..', '..');
    writeFileSync(
      join(dir, 'manifest.json'),
      JSON.stringify({
        stacks: { shop: { synthesizedStackPath: `${file.split('/').at(-2)}/cdk.tf.json` } },
      }),
    );
    expect(locateStack(dir)).toBe(file);
    expect(() => locateStack(dir, 'other')).toThrow(/no stack "other" .*holds shop/);
  });
});

describe('plans', () => {
  it('create everything on a first run, ids known after apply', async () => {
    const result = await plan({
      stack: shopStack(),
      owned: new Map(),
      variables,
      comparable: asIs,
    });
    expect(result.resources.map((r) => [r.address, r.action])).toEqual([
      ['slipway_project.shop', 'create'],
      ['slipway_service.api', 'create'],
    ]);
    const service = result.resources[1];
    expect(service?.changes.find((c) => c.name === 'project_id')?.after).toBe(UNKNOWN);
    const text = renderPlan(result);
    expect(text).toContain('+ project_id = (known after apply)');
    expect(text).toContain('+ secret_env = (sensitive value)');
    expect(text).not.toContain('s3cret');
    expect(JSON.stringify(planJson(result))).not.toContain('s3cret');
    expect(text).toContain('Plan: 2 to add, 0 to change, 0 to destroy.');
  });

  it('are empty when the API matches, and show one in-place update for one env var', async () => {
    const owned = new Map([
      ['slipway_project.shop', actualProject()],
      ['slipway_service.api', actualService({ LOG_LEVEL: 'info' })],
    ]);
    const same = await plan({ stack: shopStack(), owned, variables, comparable: asIs });
    expect(same.resources.every((r) => r.action === 'no-op')).toBe(true);
    expect(renderPlan(same)).toMatch(/^No changes/);

    const changed = await plan({
      stack: shopStack({ LOG_LEVEL: 'debug' }),
      owned,
      variables,
      comparable: asIs,
    });
    expect(changed.resources.map((r) => r.action)).toEqual(['no-op', 'update']);
    expect(renderPlan(changed)).toContain('~ LOG_LEVEL = "info" -> "debug"');
  });

  it('replace a service whose name changes and delete what the stack no longer declares', async () => {
    const renamed = {
      ...actualService({ LOG_LEVEL: 'info' }),
      attributes: { ...actualService({}).attributes, name: 'old', env: { LOG_LEVEL: 'info' } },
    };
    const stray: ActualResource = { ...actualProject(), address: 'slipway_project.old', id: 'p2' };
    const owned = new Map([
      ['slipway_project.shop', actualProject()],
      ['slipway_service.api', renamed],
      ['slipway_project.old', stray],
    ]);
    const result = await plan({ stack: shopStack(), owned, variables, comparable: asIs });
    expect(result.resources.map((r) => [r.address, r.action])).toEqual([
      ['slipway_project.shop', 'no-op'],
      ['slipway_service.api', 'replace'],
      ['slipway_project.old', 'delete'],
    ]);
    expect(renderPlan(result)).toContain('~ name = "old" -> "api" # forces replacement');
    const destroy = await plan({
      stack: shopStack(),
      owned,
      variables,
      comparable: asIs,
      destroy: true,
    });
    expect(destroy.resources.map((r) => r.address)).toEqual([
      'slipway_service.api',
      'slipway_project.old',
      'slipway_project.shop',
    ]);
  });
});

describe('apply', () => {
  it('creates in order, passing ids along, and says which resource failed', async () => {
    const calls: string[] = [];
    const backend: Backend = {
      create: (declared, resolved) => {
        calls.push(`${declared.address} ${JSON.stringify(resolved.project_id ?? null)}`);
        if (declared.type === 'slipway_service')
          return Promise.reject(new Error('the API answered 409'));
        return Promise.resolve({
          resource: { ...actualProject(), computed: { id: 'new-project' } },
        });
      },
      update: () => Promise.reject(new Error('not expected')),
      delete: () => Promise.reject(new Error('not expected')),
    };
    const stack = shopStack();
    const planned = await plan({ stack, owned: new Map(), variables, comparable: asIs });
    const failed = apply({ plan: planned, owned: new Map(), variables, backend });
    await expect(failed).rejects.toThrow(ApplyError);
    await expect(failed).rejects.toThrow('slipway_service.api: the API answered 409');
    expect(calls).toEqual(['slipway_project.shop null', 'slipway_service.api "new-project"']);
  });
});
