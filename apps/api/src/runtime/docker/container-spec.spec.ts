import { otlpHeadersFor } from '@slipway/contracts';
import { Cpu, Size, type ServiceSpec } from '@slipway/k8s-spec';
import {
  LIVE_RESTART_POLICY,
  STARTING_RESTART_POLICY,
  containerCreateOptions,
  containerEnv,
  instanceCount,
  resourceLimits,
} from './container-spec';
import { DOCKER_LABELS, containerName, isContainerName, shortId } from './docker-naming';

const spec: ServiceSpec = {
  org: { id: 'a1b2c3d4-0000-4000-8000-000000000001', name: 'acme' },
  project: { id: 'b1b2c3d4-0000-4000-8000-000000000002', name: 'web' },
  service: { id: 'c0ffee12-3456-4789-8abc-def012345678', name: 'api' },
  deploymentId: 'deadbeef-1111-4222-8333-444455556666',
  image: '127.0.0.1:5000/acme/web/api:1',
  serviceToken: 'slp_st_secret',
  env: [
    { name: 'GREETING', value: 'hi' },
    { name: 'DB_PASSWORD', value: 'hunter2', secret: true },
  ],
};
const options = {
  network: 'slipway',
  collectorEndpoint: 'http://collector:4318',
  stopTimeoutSeconds: 7,
};

describe('containerCreateOptions', () => {
  it('applies the container contract: uid 1000, read-only root, /tmp tmpfs, no capabilities', () => {
    const create = containerCreateOptions(spec, 0, options);
    expect(create.User).toBe('1000:1000');
    expect(create.HostConfig).toMatchObject({
      ReadonlyRootfs: true,
      Tmpfs: { '/tmp': `rw,size=${512 * 1024 * 1024},mode=1777` },
      Init: true,
      CapDrop: ['ALL'],
      SecurityOpt: ['no-new-privileges'],
      NetworkMode: 'slipway',
      PidsLimit: 512,
      RestartPolicy: { Name: STARTING_RESTART_POLICY },
    });
    expect(create.StopTimeout).toBe(7);
    expect(
      containerCreateOptions({ ...spec, stopGracePeriodSeconds: 45 }, 0, options).StopTimeout,
    ).toBe(45);
    // The edge reaches the container IP; nothing is published on the host.
    expect(create.HostConfig?.PortBindings).toBeUndefined();
    expect(create.ExposedPorts).toBeUndefined();
  });

  it('pins the image by digest when the digest is known', () => {
    const digest = `sha256:${'a'.repeat(64)}`;
    const create = containerCreateOptions({ ...spec, imageDigest: digest }, 0, options);
    expect(create.Image).toBe(`127.0.0.1:5000/acme/web/api@${digest}`);
  });

  it('overrides entrypoint and cmd only when command and args are given', () => {
    const plain = containerCreateOptions(spec, 0, options);
    expect(plain).not.toHaveProperty('Entrypoint');
    expect(plain).not.toHaveProperty('Cmd');
    const custom = containerCreateOptions(
      { ...spec, command: ['httpd'], args: ['-f'] },
      0,
      options,
    );
    expect(custom.Entrypoint).toEqual(['httpd']);
    expect(custom.Cmd).toEqual(['-f']);
  });

  it('labels every container with its org, project, service, deployment and index', () => {
    const create = containerCreateOptions(
      { ...spec, labels: { team: 'core', [DOCKER_LABELS.serviceId]: 'spoofed' } },
      2,
      { ...options, labels: { 'slipway.test': 'run-1' } },
    );
    expect(create.Labels).toMatchObject({
      team: 'core',
      'slipway.test': 'run-1',
      'slipway.managed-by': 'slipway',
      'slipway.org-id': spec.org.id,
      'slipway.project-id': spec.project.id,
      'slipway.service-id': spec.service.id,
      'slipway.deployment-id': spec.deploymentId,
      'slipway.instance-index': '2',
    });
    expect(create.Labels?.[DOCKER_LABELS.specHash]).toMatch(/^[0-9a-f]{16}$/);
  });

  it('changes the spec hash with anything that shapes the container, restarts included', () => {
    const hash = (s: ServiceSpec): string | undefined =>
      containerCreateOptions(s, 0, options).Labels?.[DOCKER_LABELS.specHash];
    expect(hash(spec)).toBe(hash({ ...spec }));
    expect(hash({ ...spec, env: [] })).not.toBe(hash(spec));
    expect(hash({ ...spec, restartedAt: '2025-01-01T00:00:00Z' })).not.toBe(hash(spec));
  });

  it("mounts instance N's own named volume of each declared volume, and only stateful ones get mounts", () => {
    const stateful = {
      ...spec,
      volumes: [
        { name: 'data', mountPath: '/var/lib/data', size: Size.gibibytes(1) },
        { name: 'cache', mountPath: '/var/cache/app', size: Size.gibibytes(2) },
      ],
    };
    const prefix = `slipway-${spec.service.name}-${shortId(spec.service.id)}`;
    expect(containerCreateOptions(stateful, 2, options).HostConfig?.Mounts).toEqual([
      { Type: 'volume', Source: `${prefix}-data-2`, Target: '/var/lib/data', ReadOnly: false },
      { Type: 'volume', Source: `${prefix}-cache-2`, Target: '/var/cache/app', ReadOnly: false },
    ]);
    expect(containerCreateOptions(spec, 0, options).HostConfig?.Mounts).toBeUndefined();
  });

  it('requests GPUs from the nvidia runtime', () => {
    const create = containerCreateOptions({ ...spec, gpu: { type: 'L4', count: 2 } }, 0, options);
    expect(create.HostConfig?.DeviceRequests).toEqual([
      { Driver: 'nvidia', Count: 2, Capabilities: [['gpu']] },
    ]);
  });

  it('keeps the restart policy values the driver switches between', () => {
    expect(STARTING_RESTART_POLICY).toBe('no');
    expect(LIVE_RESTART_POLICY).toBe('unless-stopped');
  });
});

describe('containerEnv', () => {
  it('passes user env (secret values too: env is docker’s only channel) and injects Slipway’s', () => {
    const env = containerEnv(spec, 'http://collector:4318');
    expect(env).toEqual(
      expect.arrayContaining([
        'GREETING=hi',
        'DB_PASSWORD=hunter2',
        `SLIPWAY_SERVICE_ID=${spec.service.id}`,
        'SLIPWAY_SERVICE_TOKEN=slp_st_secret',
        'OTEL_EXPORTER_OTLP_ENDPOINT=http://collector:4318',
        `OTEL_EXPORTER_OTLP_HEADERS=${otlpHeadersFor('slp_st_secret')}`,
        'OTEL_SERVICE_NAME=api',
        'PORT=8080',
      ]),
    );
  });

  it('never lets user env override an injected variable or duplicate a name', () => {
    const env = containerEnv(
      {
        ...spec,
        env: [
          { name: 'PORT', value: '9999' },
          { name: 'OTEL_SERVICE_NAME', value: 'x' },
        ],
      },
      'http://c',
    );
    expect(env.filter((entry) => entry.startsWith('PORT='))).toEqual(['PORT=8080']);
    expect(env.filter((entry) => entry.startsWith('OTEL_SERVICE_NAME='))).toEqual([
      'OTEL_SERVICE_NAME=api',
    ]);
  });

  it("gives the service's port as PORT and records it on the container for the edge", () => {
    const env = containerEnv({ ...spec, port: 3000 }, 'http://c');
    expect(env.filter((entry) => entry.startsWith('PORT='))).toEqual(['PORT=3000']);
    const create = containerCreateOptions({ ...spec, port: 3000 }, 0, options);
    expect(create.Labels?.[DOCKER_LABELS.port]).toBe('3000');
    expect(containerCreateOptions(spec, 0, options).Labels?.[DOCKER_LABELS.port]).toBe('8080');
  });
});

describe('resourceLimits', () => {
  it('uses the platform default limits (1 CPU, 1 GiB) when none are given', () => {
    expect(resourceLimits(spec)).toEqual({ nanoCpus: 1e9, memoryBytes: 1024 ** 3 });
  });

  it('converts given limits to nano-CPUs and bytes', () => {
    const limits = { cpu: Cpu.parse('500m'), memory: Size.parse('256Mi') };
    expect(resourceLimits({ ...spec, resources: { limits } })).toEqual({
      nanoCpus: 500_000_000,
      memoryBytes: 256 * 1024 * 1024,
    });
  });

  it('raises a defaulted limit to a larger request', () => {
    const requests = { cpu: Cpu.cores(2), memory: Size.gibibytes(4) };
    expect(resourceLimits({ ...spec, resources: { requests } })).toEqual({
      nanoCpus: 2e9,
      memoryBytes: 4 * 1024 ** 3,
    });
  });

  it('sets Memory, MemorySwap (no swap) and NanoCpus on the container', () => {
    const limits = { cpu: Cpu.millis(250), memory: Size.mebibytes(128) };
    const create = containerCreateOptions({ ...spec, resources: { limits } }, 0, options);
    expect(create.HostConfig).toMatchObject({
      Memory: 128 * 1024 * 1024,
      MemorySwap: 128 * 1024 * 1024,
      NanoCpus: 250_000_000,
    });
  });
});

describe('instanceCount', () => {
  it('is replicas, else the autoscaling minimum, else 1, and never 0', () => {
    expect(instanceCount(spec)).toBe(1);
    expect(instanceCount({ ...spec, replicas: 3 })).toBe(3);
    expect(instanceCount({ ...spec, autoscaling: { minReplicas: 2, maxReplicas: 5 } })).toBe(2);
    expect(instanceCount({ ...spec, autoscaling: { minReplicas: 0, maxReplicas: 5 } })).toBe(1);
  });
});

describe('containerName', () => {
  const parts = { serviceName: 'api', serviceId: spec.service.id, deploymentId: spec.deploymentId };

  it('is slp-<name>-<8 hex of service id>-<8 hex of deployment id>-<index>', () => {
    expect(containerName({ ...parts, index: 0 })).toBe('slp-api-c0ffee12-deadbeef-0');
    expect(containerCreateOptions(spec, 1, options).name).toBe('slp-api-c0ffee12-deadbeef-1');
  });

  it('stays a valid container name of at most 63 characters for long names', () => {
    const name = containerName({ ...parts, serviceName: `a-${'b'.repeat(70)}`, index: 99 });
    expect(name.length).toBeLessThanOrEqual(63);
    expect(isContainerName(name)).toBe(true);
    expect(name).toMatch(/^slp-a-b+-c0ffee12-deadbeef-99$/);
  });

  it('does not end the readable part with a dash after truncation', () => {
    const name = containerName({ ...parts, serviceName: `${'x'.repeat(36)}-yy`, index: 0 });
    expect(name).not.toContain('--');
  });

  it('hashes ids without 8 hex characters', () => {
    expect(shortId('zz')).toMatch(/^[0-9a-f]{8}$/);
    expect(shortId('zz')).not.toBe(shortId('yy'));
  });

  it('rejects names docker could never have', () => {
    expect(isContainerName('../etc')).toBe(false);
    expect(isContainerName('')).toBe(false);
    expect(isContainerName('slp-api-1')).toBe(true);
  });
});
