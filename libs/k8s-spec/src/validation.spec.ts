import { validatePlatformOptions, type PlatformOptions } from './platform';
import { Cpu, Size } from './quantities';
import type { ServiceSpec } from './service-spec';
import { baseSpec, platform, representativeSpecs } from './test-support/fixtures';
import { assertValidServiceSpec, validateServiceSpec } from './validation';

/** Specs from JSON can hold anything; the validator must name the field either way. */
const loose = (overrides: Record<string, unknown>): ServiceSpec => ({ ...baseSpec, ...overrides });

describe('validateServiceSpec', () => {
  it('accepts the base spec and every fixture', () => {
    expect(validateServiceSpec(baseSpec, platform)).toEqual([]);
    for (const spec of Object.values(representativeSpecs))
      expect(validateServiceSpec(spec, platform)).toEqual([]);
  });

  it.each<[string, ServiceSpec, string, string]>([
    [
      'an upper-case service name',
      loose({ service: { id: 's', name: 'Web' } }),
      'spec.service.name',
      'must be a DNS-1123 label',
    ],
    [
      'a digit-led service name',
      loose({ service: { id: 's', name: '1web' } }),
      'spec.service.name',
      'must start with a letter (got "1web")',
    ],
    [
      'a 64-character project name',
      loose({ project: { id: 'p', name: 'p'.repeat(64) } }),
      'spec.project.name',
      'at most 63 characters (got 64)',
    ],
    [
      'an id with a slash',
      loose({ org: { id: 'a/b', name: 'acme' } }),
      'spec.org.id',
      'must be a label value',
    ],
    [
      'an empty deployment id',
      loose({ deploymentId: '' }),
      'spec.deploymentId',
      'must not be empty',
    ],
    ['a bad image', loose({ image: 'Not An Image' }), 'spec.image', 'must be an image reference'],
    [
      'a bad digest',
      loose({ imageDigest: 'sha256:xyz' }),
      'spec.imageDigest',
      'must be "sha256:" and 64 hex digits',
    ],
    [
      'a token without prefix',
      loose({ serviceToken: 'abc' }),
      'spec.serviceToken',
      'must be a service token: "slp_st_"',
    ],
    [
      'a bad env name',
      loose({ env: [{ name: '1BAD', value: 'x' }] }),
      'spec.env[0].name',
      'must be a C identifier',
    ],
    [
      'a duplicate env name',
      loose({
        env: [
          { name: 'A', value: '1' },
          { name: 'A', value: '2' },
        ],
      }),
      'spec.env[1].name',
      'duplicates "A"',
    ],
    [
      'an injected env name',
      loose({ env: [{ name: 'SLIPWAY_SERVICE_TOKEN', value: 'x' }] }),
      'spec.env[0].name',
      'is injected by Slipway',
    ],
    [
      'a reserved prefix',
      loose({ env: [{ name: 'SLIPWAY_FOO', value: 'x' }] }),
      'spec.env[0].name',
      'is injected by Slipway',
    ],
    [
      'a PORT other than 8080',
      loose({ env: [{ name: 'PORT', value: '3000' }] }),
      'spec.env[0].value',
      'PORT is set by Slipway to the service\'s port, 8080 (got "3000")',
    ],
    [
      'a PORT other than the port',
      loose({ port: 9000, env: [{ name: 'PORT', value: '8080' }] }),
      'spec.env[0].value',
      'PORT is set by Slipway to the service\'s port, 9000 (got "8080")',
    ],
    ['port 0', loose({ port: 0 }), 'spec.port', 'must be'],
    ['port 65536', loose({ port: 65536 }), 'spec.port', 'must be'],
    ['a fractional port', loose({ port: 80.5 }), 'spec.port', 'must be'],
    [
      'a non-string env value',
      loose({ env: [{ name: 'A', value: 3 }] }),
      'spec.env[0].value',
      'must be a string',
    ],
    [
      'a request above its limit',
      loose({ resources: { requests: { cpu: Cpu.cores(2) }, limits: { cpu: Cpu.cores(1) } } }),
      'spec.resources.requests.cpu',
      'must be ≤ limits.cpu (got 2 > 1)',
    ],
    [
      'memory as a string',
      loose({ resources: { limits: { memory: '1Gi' } } }),
      'spec.resources.limits.memory',
      'must be a Size',
    ],
    [
      'an unknown GPU type',
      loose({ gpu: { type: 'nvidia-v100' } }),
      'spec.gpu.type',
      'must be one of T4, L4, A100-40GB, A100-80GB, H100-80GB (got "nvidia-v100")',
    ],
    [
      'a GPU count of 3',
      loose({ gpu: { type: 'L4', count: 3 } }),
      'spec.gpu.count',
      'must be one of 1, 2, 4, 8 (got 3)',
    ],
    [
      'a GPU type without a pool',
      loose({ gpu: { type: 'T4' } }),
      'spec.gpu.type',
      'no GPU node pool is configured for "T4" (configured: L4, A100-80GB)',
    ],
    ['negative replicas', loose({ replicas: -1 }), 'spec.replicas', 'must be in 0..100 (got -1)'],
    [
      'replicas and autoscaling',
      loose({ replicas: 2, autoscaling: { minReplicas: 1, maxReplicas: 2 } }),
      'spec.replicas',
      'must not be set together with spec.autoscaling',
    ],
    [
      'min above max',
      loose({ autoscaling: { minReplicas: 5, maxReplicas: 3 } }),
      'spec.autoscaling.minReplicas',
      'must be ≤ maxReplicas (got 5 > 3)',
    ],
    [
      'fractional max',
      loose({ autoscaling: { minReplicas: 1, maxReplicas: 2.5 } }),
      'spec.autoscaling.maxReplicas',
      'must be a whole number (got 2.5)',
    ],
    [
      'a GPU target without a GPU',
      loose({ autoscaling: { minReplicas: 1, maxReplicas: 2, targetGpuUtilization: 50 } }),
      'spec.autoscaling.targetGpuUtilization',
      'needs spec.gpu',
    ],
    [
      'a GPU target of 99',
      loose({
        gpu: { type: 'L4' },
        autoscaling: { minReplicas: 1, maxReplicas: 2, targetGpuUtilization: 99 },
      }),
      'spec.autoscaling.targetGpuUtilization',
      'must be in 10..95 (got 99)',
    ],
    [
      'a relative health path',
      loose({ healthCheckPath: 'healthz' }),
      'spec.healthCheckPath',
      'must be an absolute HTTP path',
    ],
    [
      'a stop grace period over 300 s',
      loose({ stopGracePeriodSeconds: 301 }),
      'spec.stopGracePeriodSeconds',
      'must be in 1..300 (got 301)',
    ],
    [
      'a zero probe period',
      loose({ startupProbe: { periodSeconds: 0 } }),
      'spec.startupProbe.periodSeconds',
      'must be in 1..300 (got 0)',
    ],
    [
      'a volume under /tmp',
      loose({ volumes: [{ name: 'data', mountPath: '/tmp/data', size: Size.gibibytes(1) }] }),
      'spec.volumes[0].mountPath',
      'must not be under /tmp',
    ],
    [
      'a volume named tmp',
      loose({ volumes: [{ name: 'tmp', mountPath: '/data', size: Size.gibibytes(1) }] }),
      'spec.volumes[0].name',
      'is reserved for the /tmp volume',
    ],
    [
      'nested volumes',
      loose({
        volumes: [
          { name: 'a', mountPath: '/data', size: Size.gibibytes(1) },
          { name: 'b', mountPath: '/data/b', size: Size.gibibytes(1) },
        ],
      }),
      'spec.volumes[1].mountPath',
      'overlaps "/data"',
    ],
    [
      'a tiny volume',
      loose({ volumes: [{ name: 'data', mountPath: '/data', size: Size.mebibytes(10) }] }),
      'spec.volumes[0].size',
      'must be in 1Gi..16Ti (got 10Mi)',
    ],
    [
      'a wildcard domain',
      loose({ customDomains: ['*.example.com'] }),
      'spec.customDomains[0]',
      'must be a lowercase fully qualified domain name',
    ],
    [
      'a duplicate domain',
      loose({ customDomains: ['a.example.com', 'a.example.com'] }),
      'spec.customDomains[1]',
      'duplicates "a.example.com"',
    ],
    [
      'an unknown access type',
      loose({ accessType: 'secret' }),
      'spec.accessType',
      'must be one of private, public (got "secret")',
    ],
    [
      'a reserved label',
      loose({ labels: { 'slipway.dev/owner': 'me' } }),
      'spec.labels["slipway.dev/owner"]',
      'uses the reserved prefix "slipway.dev"',
    ],
    [
      'a kubernetes.io label',
      loose({ labels: { 'app.kubernetes.io/name': 'x' } }),
      'spec.labels["app.kubernetes.io/name"]',
      'uses the reserved prefix "kubernetes.io"',
    ],
    [
      'a bad label value',
      loose({ labels: { team: 'has space' } }),
      'spec.labels["team"]',
      'must be a label value',
    ],
    [
      'a bad restart time',
      loose({ restartedAt: 'now' }),
      'spec.restartedAt',
      'must be an ISO 8601 timestamp',
    ],
  ])('names the field for %s', (_case, spec, path, message) => {
    const problems = validateServiceSpec(spec, platform);
    expect(problems).toContainEqual({ path, message: expect.stringContaining(message) as string });
    expect(() => assertValidServiceSpec(spec, platform)).toThrow(`${path}: `);
  });

  it('reports every problem at once', () => {
    const problems = validateServiceSpec(
      loose({ image: '', replicas: 1000, healthCheckPath: 'x' }),
    );
    expect(problems.map((problem) => problem.path)).toEqual([
      'spec.image',
      'spec.replicas',
      'spec.healthCheckPath',
    ]);
  });

  it('refuses a non-object spec', () => {
    expect(validateServiceSpec(null as unknown as ServiceSpec)).toEqual([
      { path: 'spec', message: 'must be an object' },
    ]);
  });
});

describe('validatePlatformOptions', () => {
  it('accepts the fixture platform', () => {
    expect(validatePlatformOptions(platform)).toEqual([]);
  });

  it.each<[string, PlatformOptions, string, string]>([
    [
      'a grace period not longer than the drain',
      { ...platform, drainSeconds: 30, terminationGracePeriodSeconds: 30 },
      'platform.terminationGracePeriodSeconds',
      'must be longer than drainSeconds',
    ],
    [
      'a collector endpoint that is not a URL',
      { ...platform, collector: { ...platform.collector, endpoint: 'collector:4318' } },
      'platform.collector.endpoint',
      'must be an http(s) URL',
    ],
    [
      'an empty edge selector',
      { ...platform, edge: { ...platform.edge, podLabels: {} } },
      'platform.edge.podLabels',
      'must select the pods with at least one label',
    ],
    [
      'a bad namespace prefix',
      { ...platform, namespacePrefix: 'Slipway' },
      'platform.namespacePrefix',
      'must be a DNS-1123 label',
    ],
  ])('names the field for %s', (_case, options, path, message) => {
    expect(validatePlatformOptions(options)).toContainEqual({
      path,
      message: expect.stringContaining(message) as string,
    });
    expect(() => assertValidServiceSpec(baseSpec, options)).toThrow(`${path}: `);
  });
});
