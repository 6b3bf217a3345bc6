/**
 * The four presets, checked where their images cannot be built (no registry, no PyPI): each
 * README's CLI steps against the CLI's real flags, each Dockerfile against the container
 * contract, each stack through synthesis and `libs/k8s-spec` rendering under the restricted
 * Pod Security checker, and the apps' own handler tests when Python is present.
 */
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { buildProgram } from '@slipway/cli';
import { BUILT_IN_RESOURCE_PROFILES, type GpuType } from '@slipway/contracts';
import { loadStack, locateStack, type ServiceConfig } from '@slipway/iac';
import { Cpu, GPU_RESOURCE, renderServiceObjects, Size, type ServiceSpec } from '@slipway/k8s-spec';
import { podSecurityViolations, testPlatform, testServiceSpec } from '@slipway/k8s-spec/testing';
import { schemaProblems } from '@slipway/kube-client/testing';
import type { IPodTemplateSpec } from 'kubernetes-models/v1/PodTemplateSpec';
import { contractProblems } from './dockerfile-contract';
import { commandProblems, sectionBlock, shellBlocks, slipwayCommands } from './readme-commands';

const run = promisify(execFile);
const ROOT = join(__dirname, '..');
const PRESETS = ['dynamiq-agent', 'unstructured', 'livekit-voice-agent', 'paddleocr-vl'] as const;
const GPU_PRESETS = new Set<string>(['paddleocr-vl']);
const SECTIONS = [
  'Prerequisites',
  'Deploy with the CLI',
  'Services as code',
  'Call it',
  'Resources',
  'Known limits',
];

const read = (preset: string, file: string): string =>
  readFileSync(join(ROOT, preset, file), 'utf8');

/** What the API would give the runtime for a declared service (the profile resolved). */
function specOf(name: string, config: ServiceConfig, index: number): ServiceSpec {
  const profile = BUILT_IN_RESOURCE_PROFILES.find((p) => p.name === config.resource_profile);
  const quantities = profile ?? config.resources;
  const image =
    config.image && !config.image.includes('${')
      ? config.image
      : `registry.example.com/presets/${name}:test`;
  return {
    ...testServiceSpec,
    service: { id: `svc-000${index}`, name: config.name },
    image,
    env: [
      ...Object.entries(config.env ?? {}).map(([key, value]) => ({ name: key, value })),
      ...Object.keys(config.secret_env ?? {}).map((key) => ({
        name: key,
        value: 'sealed',
        secret: true,
      })),
    ],
    ...(quantities && {
      resources: {
        requests: { cpu: Cpu.parse(quantities.cpu), memory: Size.parse(quantities.memory) },
        limits: { cpu: Cpu.parse(quantities.cpu), memory: Size.parse(quantities.memory) },
      },
    }),
    ...(profile?.gpuType && { gpu: { type: profile.gpuType as GpuType, count: 1 } }),
    ...(config.port !== undefined && { port: config.port }),
    ...(config.health_check_path && { healthCheckPath: config.health_check_path }),
    ...(config.instances !== undefined && { replicas: Math.max(1, config.instances) }),
  };
}

function podTemplates(objects: readonly { kind?: string; spec?: unknown }[]): IPodTemplateSpec[] {
  return objects
    .filter((o) => o.kind === 'Deployment' || o.kind === 'StatefulSet')
    .map((o) => (o.spec as { template: IPodTemplateSpec }).template);
}

describe.each(PRESETS)('the %s preset', (preset) => {
  const readme = read(preset, 'README.md');

  it('has a README with the sections users look for, in order', () => {
    const headings = [...readme.matchAll(/^## (.+)$/gm)].map((m) => m[1]);
    expect(headings).toEqual(SECTIONS);
    expect(sectionBlock(readme, 'Deploy with the CLI')).toBeDefined();
    expect(readme).toMatch(/^```python$/m);
  });

  it('names only commands and flags the CLI has, and no literal secret', () => {
    const program = buildProgram();
    const commands = shellBlocks(readme).flatMap(slipwayCommands);
    expect(commands.length).toBeGreaterThan(2);
    expect(commands.flatMap((argv) => commandProblems(program, argv))).toEqual([]);
    for (const argv of commands) {
      argv.forEach((word, i) => {
        if (word === '--env-secret') expect(argv[i + 2]).toMatch(/^\$/);
      });
    }
    const deploy = slipwayCommands(sectionBlock(readme, 'Deploy with the CLI') ?? '');
    expect(deploy.map((argv) => argv.slice(1, 3).join(' '))).toEqual(
      expect.arrayContaining(['service create', 'service deploy']),
    );
  });

  it('builds images that honour the container contract', () => {
    const dockerfiles = readdirSync(join(ROOT, preset)).filter((f) => /^Dockerfile/.test(f));
    for (const file of dockerfiles) {
      expect({ file, problems: contractProblems(read(preset, file)) }).toEqual({
        file,
        problems: [],
      });
    }
  });

  it('synthesizes a stack whose services render to valid, restricted Kubernetes objects', async () => {
    const outdir = mkdtempSync(join(tmpdir(), `slipway-preset-${preset}-`));
    await run(process.execPath, [require.resolve('tsx/cli'), 'stack.ts'], {
      cwd: join(ROOT, preset),
      env: { ...process.env, CDKTF_OUTDIR: outdir },
    });
    const stack = loadStack(locateStack(outdir));
    expect(stack.name).toBe(preset);
    const types = stack.resources.map((r) => r.type);
    expect(types).toEqual(
      expect.arrayContaining(['slipway_project', 'slipway_service', 'slipway_access_key']),
    );
    const services = stack.resources.filter((r) => r.type === 'slipway_service');
    services.forEach((resource, index) => {
      const spec = specOf(preset, resource.config, index + 1);
      const objects = renderServiceObjects(spec, testPlatform);
      for (const object of objects) expect(schemaProblems(object)).toEqual([]);
      const templates = podTemplates(objects);
      expect(templates).toHaveLength(1);
      for (const template of templates) {
        expect(podSecurityViolations(template, 'restricted')).toEqual([]);
        const container = template.spec?.containers[0];
        if (GPU_PRESETS.has(preset)) {
          expect(container?.resources?.limits?.[GPU_RESOURCE]).toBe('1');
          expect(template.spec?.nodeSelector).toBeDefined();
        } else {
          expect(container?.resources?.limits?.[GPU_RESOURCE]).toBeUndefined();
        }
      }
    });
  }, 60_000);

  it("passes its app's own handler tests where Python is present", () => {
    const tests = join(ROOT, preset, 'app', 'tests');
    if (!existsSync(tests)) return;
    const python = spawnSync('python3', ['--version']);
    if (python.error) {
      process.stdout.write(
        `python3 not found: the ${preset} preset's handler tests were not run\n`,
      );
      return;
    }
    const result = spawnSync(
      'python3',
      ['-m', 'unittest', 'discover', '-s', 'app/tests', '-t', '.'],
      {
        cwd: join(ROOT, preset),
        encoding: 'utf8',
        env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' },
      },
    );
    expect({ status: result.status, output: result.stderr }).toMatchObject({ status: 0 });
    expect(result.stderr).toMatch(/\nOK/);
  });
});
