import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RESOURCE_SCHEMAS, type ResourceType } from '@slipway/iac';
import { App, TerraformStack, TerraformVariable } from 'cdktn';
import { AccessKey, Project, ResourceProfile, Service, SlipwayProvider } from './index';

const FIXTURE = join(__dirname, '..', 'test', 'fixtures', 'web');

function newStack(): { app: App; stack: TerraformStack } {
  const app = new App({
    outdir: mkdtempSync(join(tmpdir(), 'slipway-cdktf-')),
    skipValidation: true,
  });
  return { app, stack: new TerraformStack(app, 'shop') };
}

// The synthesized document is checked field by field below.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

function synth(stack: TerraformStack): Json {
  stack.prepareStack();
  return JSON.parse(JSON.stringify(stack.toTerraform()));
}

function completeStack(): TerraformStack {
  const { stack } = newStack();
  new SlipwayProvider(stack, 'slipway', { apiUrl: 'https://api.example.com' });
  const openai = new TerraformVariable(stack, 'openai_api_key', {
    type: 'string',
    sensitive: true,
  });
  const project = new Project(stack, 'shop', { name: 'shop', description: 'The shop' });
  const gpu = new ResourceProfile(stack, 'ocr', {
    name: 'ocr-gpu',
    cpu: '4',
    memory: '16Gi',
    gpu: { type: 'L4', count: 1 },
  });
  new Service(stack, 'api', {
    project,
    name: 'api',
    image: 'registry.example.com/shop/api:1.4.2',
    env: { LOG_LEVEL: 'info' },
    secretEnv: { OPENAI_API_KEY: openai.stringValue },
    resourceProfile: 'small',
    instances: 2,
    port: 3000,
    healthCheckPath: '/health',
    labels: { team: 'payments' },
    tags: ['payments', 'public-api'],
  });
  new Service(stack, 'ocr_worker', {
    project,
    name: 'ocr-worker',
    source: { directory: FIXTURE },
    resourceProfile: gpu,
    // Sleeps after 10 idle minutes; scales out at 4 requests in flight per instance.
    autoscaling: {
      minInstances: 0,
      maxInstances: 4,
      targetCpuPercent: 70,
      targetConcurrency: 4,
      idleTimeoutSeconds: 600,
    },
    volumes: [{ name: 'models', mountPath: '/var/lib/models', size: '20Gi' }],
  });
  new AccessKey(stack, 'frontend', { name: 'frontend', scope: 'project', project });
  return stack;
}

describe('the constructs', () => {
  it('synthesize the slipway provider and resources as Terraform JSON', () => {
    const json = synth(completeStack());
    expect(json.terraform.required_providers).toEqual({ slipway: { source: 'slipway/slipway' } });
    expect(json.provider.slipway).toEqual([
      { api_url: 'https://api.example.com', token: '${var.slipway_token}' },
    ]);
    expect(json.variable.slipway_token).toMatchObject({ sensitive: true, type: 'string' });
    expect(json.resource.slipway_service.api).toMatchObject({
      project_id: '${slipway_project.shop.id}',
      secret_env: { OPENAI_API_KEY: '${var.openai_api_key}' },
      resource_profile: 'small',
      port: 3000,
      health_check_path: '/health',
    });
    expect(json.resource.slipway_service.ocr_worker).toMatchObject({
      resource_profile: 'ocr-gpu',
      depends_on: ['${slipway_resource_profile.ocr}'],
      source: { dockerfile: 'Dockerfile', context: '.' },
      autoscaling: {
        min_instances: 0,
        max_instances: 4,
        target_cpu_percent: 70,
        target_concurrency: 4,
        idle_timeout_seconds: 600,
      },
    });
    expect(json.output.frontend_key).toEqual({
      value: '${slipway_access_key.frontend.key}',
      sensitive: true,
    });
    expect(JSON.stringify(json)).not.toMatch(/sk-|password/);
    // Everything the constructs write is what `slipway iac` accepts.
    for (const [type, resources] of Object.entries(json.resource as Record<string, object>)) {
      for (const config of Object.values(resources)) {
        expect(RESOURCE_SCHEMAS[type as ResourceType].safeParse(config).error).toBeUndefined();
      }
    }
  });

  it('write the source directory relative to the synthesized stack', () => {
    const { app, stack } = newStack();
    const project = new Project(stack, 'p', { name: 'p' });
    new Service(stack, 's', { project, name: 's', source: { directory: FIXTURE } });
    const source = synth(stack).resource.slipway_service.s.source as { path: string };
    expect(join(app.outdir, 'stacks', 'shop', source.path)).toBe(FIXTURE);
  });

  it('match the snapshot', () => {
    const json = synth(completeStack());
    json.resource.slipway_service.ocr_worker.source.path = '<fixture>';
    json.terraform.backend = '<local>';
    expect(json).toMatchSnapshot();
  });

  describe('refuse at synth time, naming the construct and the problem', () => {
    const cases: [string, (stack: TerraformStack, project: Project) => void, RegExp][] = [
      [
        'a literal token',
        (s) => new SlipwayProvider(s, 'slipway2', { token: 'slp_pat_literal' }),
        /shop\/slipway2: token must reference a sensitive TerraformVariable/,
      ],
      [
        'an invalid service name',
        (s, project) => new Service(s, 'x', { project, name: 'Web_App', image: 'nginx' }),
        /shop\/x: name "Web_App" must be a DNS label/,
      ],
      [
        'both image and source',
        (s, project) =>
          new Service(s, 'x', {
            project,
            name: 'x',
            image: 'nginx',
            source: { directory: FIXTURE },
          }),
        /shop\/x: give either image or source, exactly one/,
      ],
      [
        'neither image nor source',
        (s, project) => new Service(s, 'x', { project, name: 'x' }),
        /give either image or source/,
      ],
      [
        'a source without its Dockerfile',
        (s, project) =>
          new Service(s, 'x', {
            project,
            name: 'x',
            source: { directory: FIXTURE, dockerfile: 'Nope' },
          }),
        /no Nope in /,
      ],
      [
        'an unknown profile name',
        (s, project) =>
          new Service(s, 'x', {
            project,
            name: 'x',
            image: 'nginx',
            resourceProfile: 'huge' as 'small',
          }),
        /unknown resource profile "huge": built-in ones are nano, small/,
      ],
      [
        'a literal secret',
        (s, project) =>
          new Service(s, 'x', { project, name: 'x', image: 'nginx', secretEnv: { KEY: 'sk-123' } }),
        /secretEnv KEY must reference a sensitive TerraformVariable/,
      ],
      [
        'a variable in env and secretEnv',
        (s, project) => {
          const v = new TerraformVariable(s, 'v', { sensitive: true });
          new Service(s, 'x', {
            project,
            name: 'x',
            image: 'nginx',
            env: { KEY: 'a' },
            secretEnv: { KEY: v.stringValue },
          });
        },
        /KEY in both env and secretEnv/,
      ],
      [
        'minInstances above maxInstances',
        (s, project) =>
          new Service(s, 'x', {
            project,
            name: 'x',
            image: 'nginx',
            minInstances: 3,
            maxInstances: 2,
          }),
        /minInstances must not exceed maxInstances/,
      ],
      [
        'an idle timeout for a service that cannot sleep',
        (s, project) =>
          new Service(s, 'x', {
            project,
            name: 'x',
            image: 'nginx',
            autoscaling: {
              minInstances: 1,
              maxInstances: 2,
              targetCpuPercent: 70,
              idleTimeoutSeconds: 600,
            },
          }),
        /shop\/x: autoscaling.idleTimeoutSeconds only applies with autoscaling.minInstances 0, a service that may sleep \(got 1\)/,
      ],
      [
        'an idle timeout out of range',
        (s, project) =>
          new Service(s, 'x', {
            project,
            name: 'x',
            image: 'nginx',
            autoscaling: {
              minInstances: 0,
              maxInstances: 2,
              targetCpuPercent: 70,
              idleTimeoutSeconds: 5,
            },
          }),
        /shop\/x: autoscaling.idleTimeoutSeconds must be an integer from 10 to 86400 \(got 5\)/,
      ],
      [
        'a concurrency target out of range',
        (s, project) =>
          new Service(s, 'x', {
            project,
            name: 'x',
            image: 'nginx',
            autoscaling: {
              minInstances: 1,
              maxInstances: 2,
              targetCpuPercent: 70,
              targetConcurrency: 1.5,
            },
          }),
        /shop\/x: autoscaling.targetConcurrency must be an integer from 1 to 1000 \(got 1.5\)/,
      ],
      [
        'a port out of range',
        (s, project) => new Service(s, 'x', { project, name: 'x', image: 'nginx', port: 70000 }),
        /shop\/x: port must be an integer from 1 to 65535 \(got 70000\)/,
      ],
      [
        'a volume under /tmp',
        (s, project) =>
          new Service(s, 'x', {
            project,
            name: 'x',
            image: 'nginx',
            volumes: [{ name: 'data', mountPath: '/tmp/data', size: '1Gi' }],
          }),
        /shop\/x: volume data: mountPath must be an absolute path, not under \/tmp/,
      ],
      [
        'two volumes of one name',
        (s, project) =>
          new Service(s, 'x', {
            project,
            name: 'x',
            image: 'nginx',
            volumes: [
              { name: 'data', mountPath: '/a', size: '1Gi' },
              { name: 'data', mountPath: '/b', size: '1Gi' },
            ],
          }),
        /volume name "data" must be a unique lowercase DNS label/,
      ],
      [
        'a tag that is not one',
        (s, project) => new Service(s, 'x', { project, name: 'x', image: 'nginx', tags: ['GPU'] }),
        /shop\/x: tags: "GPU" is not a tag/,
      ],
      [
        'a reserved label',
        (s) => new Project(s, 'x', { name: 'x', labels: { 'slipway.dev/stack': 'other' } }),
        /label key "slipway.dev\/stack": the slipway.dev\/ prefix is kept by Slipway/,
      ],
      [
        'an invalid label value',
        (s) => new Project(s, 'x', { name: 'x', labels: { team: 'two words' } }),
        /value of "team" must be empty or/,
      ],
      [
        'a project key without its project',
        (s) => new AccessKey(s, 'x', { name: 'x', scope: 'project' }),
        /a project key names its project/,
      ],
      [
        'a profile with a bad quantity',
        (s) => new ResourceProfile(s, 'x', { name: 'big', cpu: 'lots', memory: '1Gi' }),
        /cpu "lots" must be a CPU quantity/,
      ],
    ];
    it.each(cases)('%s', (_name, declare, message) => {
      const { stack } = newStack();
      const project = new Project(stack, 'p', { name: 'p' });
      expect(() => declare(stack, project)).toThrow(message);
    });
  });
});
