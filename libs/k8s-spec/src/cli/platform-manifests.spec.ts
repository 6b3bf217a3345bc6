import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { schemaProblems } from '@slipway/kube-client/testing';
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import type { IService } from 'kubernetes-models/v1/Service';
import { renderPlatformObjects } from '../platform-manifests';
import { USAGE, UsageError, main, parsePlatformManifestArgs } from './platform-manifests';

const IMAGES = [
  '--edge-image',
  'registry.example/slipway-edge:1',
  '--collector-image',
  'registry.example/slipway-collector:1',
];

/** Runs the command in-process; answers its exit code and what it wrote. */
function run(argv: readonly string[]): { code: number; stdout: string; stderr: string } {
  let stdout = '';
  let stderr = '';
  const code = main(argv, {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
  });
  return { code, stdout, stderr };
}

interface List {
  apiVersion: string;
  kind: string;
  items: { kind: string; metadata: { name: string; namespace?: string } }[];
}

const find = (list: List, kind: string, name: string) =>
  list.items.find((item) => item.kind === kind && item.metadata.name === name);

describe('slipway-platform-manifests', () => {
  it('prints one List of every platform object, as renderPlatformObjects renders them', () => {
    const { code, stdout, stderr } = run(IMAGES);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout.endsWith('}\n')).toBe(true);
    const list = JSON.parse(stdout) as List;
    expect(list).toEqual({
      apiVersion: 'v1',
      kind: 'List',
      items: renderPlatformObjects({
        edgeImage: 'registry.example/slipway-edge:1',
        collectorImage: 'registry.example/slipway-collector:1',
      }),
    });
    for (const item of list.items) expect(schemaProblems(item)).toEqual([]);
  });

  it('passes every flag on to the renderer', () => {
    const { code, stdout } = run([
      ...IMAGES,
      '--namespace',
      'platform',
      '--build-namespace=platform-builds',
      '--config-secret',
      'platform-config',
      '--edge-replicas',
      '3',
      '--collector-replicas',
      '0',
      '--edge-node-port',
      '30080',
      '--image-pull-policy',
      'Never',
    ]);
    expect(code).toBe(0);
    const list = JSON.parse(stdout) as List;
    const edge = find(list, 'Deployment', 'slipway-edge') as IDeployment;
    const collector = find(list, 'Deployment', 'slipway-collector') as IDeployment;
    expect(edge.metadata?.namespace).toBe('platform');
    expect(edge.spec?.replicas).toBe(3);
    expect(collector.spec?.replicas).toBe(0);
    for (const deployment of [edge, collector]) {
      expect(deployment.spec?.template.spec?.containers[0]).toMatchObject({
        imagePullPolicy: 'Never',
        env: expect.arrayContaining([
          expect.objectContaining({
            valueFrom: { secretKeyRef: expect.objectContaining({ name: 'platform-config' }) },
          }),
        ]) as unknown,
      });
    }
    expect((find(list, 'Service', 'slipway-edge') as IService).spec).toMatchObject({
      type: 'NodePort',
      ports: [{ nodePort: 30080 }],
    });
    expect(find(list, 'Namespace', 'platform-builds')).toBeDefined();
  });

  it('prints the usage on --help and -h', () => {
    for (const flag of ['--help', '-h']) {
      expect(run([flag])).toEqual({ code: 0, stdout: USAGE, stderr: '' });
    }
    expect(USAGE).toContain('--edge-node-port');
  });

  // Each refusal: exit 2, the flag named on stderr, nothing on stdout for kubectl to apply.
  it.each<[string, string[], RegExp]>([
    ['no --edge-image', IMAGES.slice(2), /--edge-image is required/],
    ['no --collector-image', IMAGES.slice(0, 2), /--collector-image is required/],
    ['a flag without its value', [...IMAGES, '--namespace'], /--namespace/],
    ['an unknown flag', [...IMAGES, '--edge-port', '8000'], /--edge-port/],
    ['a stray argument', [...IMAGES, 'apply'], /apply/],
    [
      'a non-integer',
      [...IMAGES, '--edge-replicas', 'two'],
      /--edge-replicas must be a whole number \(got "two"\)/,
    ],
    [
      'a fraction',
      [...IMAGES, '--collector-replicas', '1.5'],
      /--collector-replicas must be a whole number/,
    ],
    [
      'a negative number',
      [...IMAGES, '--edge-replicas=-1'],
      /--edge-replicas must be a whole number \(got "-1"\)/,
    ],
    [
      'an empty number',
      [...IMAGES, '--edge-node-port='],
      /--edge-node-port must be a whole number/,
    ],
    [
      'a node port below the range',
      [...IMAGES, '--edge-node-port', '8000'],
      /--edge-node-port must be in 30000\.\.32767 \(got 8000\)/,
    ],
    [
      'a node port above the range',
      [...IMAGES, '--edge-node-port', '32768'],
      /--edge-node-port must be in 30000\.\.32767 \(got 32768\)/,
    ],
    [
      'too many replicas',
      [...IMAGES, '--edge-replicas', '101'],
      /--edge-replicas must be in 0\.\.100/,
    ],
    [
      'an unknown pull policy',
      [...IMAGES, '--image-pull-policy', 'always'],
      /--image-pull-policy must be one of IfNotPresent, Always, Never \(got "always"\)/,
    ],
    [
      'a bad image',
      ['--edge-image', 'Not An Image', ...IMAGES.slice(2)],
      /--edge-image must be an image reference/,
    ],
    [
      'a bad namespace',
      [...IMAGES, '--namespace', 'Slipway'],
      /--namespace must be a DNS-1123 label/,
    ],
  ])('refuses %s', (_case, argv, message) => {
    const { code, stdout, stderr } = run(argv);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(message);
    expect(stderr).toMatch(/^slipway-platform-manifests: /);
    expect(stderr).toContain('--help');
  });

  it('reports every bad flag at once', () => {
    expect(() =>
      parsePlatformManifestArgs(['--edge-replicas', 'x', '--edge-node-port', '1']),
    ).toThrow(
      new UsageError([
        '--edge-image is required',
        '--collector-image is required',
        '--edge-replicas must be a whole number (got "x")',
        '--edge-node-port must be in 30000..32767 (got 1)',
      ]),
    );
  });

  it('parses flags into the renderer options, leaving the rest to its defaults', () => {
    expect(parsePlatformManifestArgs([...IMAGES, '--edge-node-port', '30080'])).toEqual({
      options: {
        edgeImage: 'registry.example/slipway-edge:1',
        collectorImage: 'registry.example/slipway-collector:1',
        edgeNodePort: 30080,
      },
    });
  });
});

describe('the built slipway-platform-manifests', () => {
  const packageDir = join(__dirname, '..', '..');
  const built = join(packageDir, 'dist', 'cli', 'platform-manifests.js');
  // `npm test` builds first (turbo.json): after editing src, run `npm run build` before jest.
  beforeAll(() => {
    if (!existsSync(built)) throw new Error(`${built} is missing: run npm run build`);
  });

  it('runs with node and prints the List', () => {
    const stdout = execFileSync(process.execPath, [built, ...IMAGES], { encoding: 'utf8' });
    const list = JSON.parse(stdout) as List;
    expect(list.kind).toBe('List');
    expect(find(list, 'Deployment', 'slipway-collector')).toBeDefined();
  });

  it('exits 2 with the flag on stderr and nothing on stdout', () => {
    const result = spawnSync(process.execPath, [built, IMAGES[0]!, IMAGES[1]!], {
      encoding: 'utf8',
    });
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('--collector-image is required');
  });
});
