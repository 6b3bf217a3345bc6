/** Test helper: fast-check generators of valid service specs and of single faults in them. */
import fc from 'fast-check';
import { Cpu, Size } from '../quantities';
import type { EnvVarSpec, ServiceSpec, VolumeSpec } from '../service-spec';
import { baseSpec } from './fixtures';

const label = fc.stringMatching(/^[a-z]([a-z0-9-]{0,20}[a-z0-9])?$/);
const id = fc.stringMatching(/^[A-Za-z0-9]([A-Za-z0-9_.-]{0,30}[A-Za-z0-9])?$/);
const envName = fc
  .stringMatching(/^[A-Z][A-Z0-9_]{0,15}$/)
  .filter((name) => !name.startsWith('SLIPWAY_') && !name.startsWith('OTEL_') && name !== 'PORT');
const path = fc
  .array(fc.stringMatching(/^[a-z0-9._-]{1,8}$/), { maxLength: 3 })
  .map((segments) => `/${segments.join('/')}`);

const env = fc.uniqueArray(
  fc.record<EnvVarSpec>({
    name: envName,
    value: fc.string({ maxLength: 40 }),
    secret: fc.boolean(),
  }),
  { maxLength: 6, selector: (entry) => entry.name },
);

const volumes = fc
  .uniqueArray(
    fc.record<VolumeSpec>({
      name: label.filter((name) => name !== 'tmp'),
      mountPath: fc
        .stringMatching(/^[a-z][a-z0-9]{0,8}$/)
        .filter((s) => s !== 'tmp')
        .map((segment) => `/${segment}`),
      size: fc.integer({ min: 1, max: 100 }).map((gib) => Size.gibibytes(gib)),
    }),
    { maxLength: 3, selector: (volume) => volume.name },
  )
  .filter((list) => new Set(list.map((volume) => volume.mountPath)).size === list.length);

const resources = fc
  .tuple(
    fc.integer({ min: 10, max: 4000 }),
    fc.integer({ min: 0, max: 4000 }),
    fc.integer({ min: 64, max: 8192 }),
    fc.integer({ min: 0, max: 8192 }),
  )
  .map(([cpu, cpuHeadroom, memory, memoryHeadroom]) => ({
    requests: { cpu: Cpu.millis(cpu), memory: Size.mebibytes(memory) },
    limits: { cpu: Cpu.millis(cpu + cpuHeadroom), memory: Size.mebibytes(memory + memoryHeadroom) },
  }));

const scaling = fc.oneof(
  fc.record({ replicas: fc.integer({ min: 0, max: 10 }) }),
  fc
    .tuple(
      fc.integer({ min: 0, max: 10 }),
      fc.integer({ min: 0, max: 10 }),
      fc.option(fc.integer({ min: 1, max: 100 }), { nil: undefined }),
      fc.option(fc.integer({ min: 1, max: 500 }), { nil: undefined }),
    )
    .map(([min, extra, cpu, concurrency]) => ({
      autoscaling: {
        minReplicas: min,
        maxReplicas: Math.max(1, min + extra),
        targetCpuUtilization: cpu,
        targetConcurrency: concurrency,
      },
    })),
);

const domain = fc.tuple(label, label).map(([host, zone]) => `${host}.${zone}.example`);

/** Any valid spec the fixture platform can render (GPU types limited to its node pools). */
export const validSpec: fc.Arbitrary<ServiceSpec> = fc
  .record({
    org: fc.record({ id, name: label }),
    project: fc.record({ id, name: label }),
    service: fc.record({ id, name: label }),
    deploymentId: id,
    env,
    resources,
    scaling,
    gpu: fc.option(
      fc.record({
        type: fc.constantFrom('L4' as const, 'A100-80GB' as const),
        count: fc.constantFrom(1 as const, 2 as const, 4 as const, 8 as const),
      }),
      { nil: undefined },
    ),
    healthCheckPath: fc.option(path, { nil: undefined }),
    volumes,
    customDomains: fc.uniqueArray(domain, { maxLength: 3 }),
    accessType: fc.constantFrom('private' as const, 'public' as const),
    labels: fc.dictionary(
      fc.stringMatching(/^[a-z][a-z0-9]{0,10}$/),
      fc.stringMatching(/^[a-z0-9]{0,10}$/),
      { maxKeys: 4 },
    ),
  })
  .map(({ scaling: scale, ...rest }) => ({ ...baseSpec, ...rest, ...scale }));

/** One fault injected into a valid spec, with the field the error must name. */
export const invalidSpec: fc.Arbitrary<{ spec: ServiceSpec; path: string }> = fc
  .tuple(
    validSpec,
    fc.constantFrom<[string, (spec: ServiceSpec) => Record<string, unknown>]>(
      ['spec.service.name', () => ({ service: { id: 'svc', name: 'Bad_Name' } })],
      ['spec.project.name', () => ({ project: { id: 'p', name: '-x' } })],
      ['spec.image', () => ({ image: 'UPPER/Case' })],
      ['spec.env[0].name', () => ({ env: [{ name: 'has-dash', value: 'x' }] })],
      [
        'spec.resources.requests.memory',
        () => ({
          resources: {
            requests: { memory: Size.gibibytes(4) },
            limits: { memory: Size.gibibytes(1) },
          },
        }),
      ],
      [
        'spec.autoscaling.minReplicas',
        () => ({ replicas: undefined, autoscaling: { minReplicas: 9, maxReplicas: 2 } }),
      ],
      ['spec.gpu.count', () => ({ gpu: { type: 'L4', count: 3 } })],
      ['spec.gpu.type', () => ({ gpu: { type: 'nvidia-k80' } })],
      ['spec.healthCheckPath', () => ({ healthCheckPath: 'no-slash' })],
      ['spec.stopGracePeriodSeconds', () => ({ stopGracePeriodSeconds: 0 })],
      [
        'spec.volumes[0].mountPath',
        () => ({ volumes: [{ name: 'd', mountPath: 'relative', size: Size.gibibytes(1) }] }),
      ],
      ['spec.customDomains[0]', () => ({ customDomains: ['localhost'] })],
      ['spec.serviceToken', () => ({ serviceToken: 'slp_pat_wrong-kind-of-token' })],
    ),
  )
  .map(([spec, [path, fault]]) => ({ spec: { ...spec, ...fault(spec) }, path }));
