import type Dockerode from 'dockerode';
import { instanceState, liveDeploymentId, liveEndpoints, toInstances } from './docker-instances';

interface Fake {
  name: string;
  deployment: string;
  created: string;
  status?: string;
  live?: boolean;
  ip?: string;
  restarts?: number;
  exitCode?: number;
  oom?: boolean;
}

/** The parts of `docker inspect` output the mapping reads. */
function inspected(fake: Fake): Dockerode.ContainerInspectInfo {
  const status = fake.status ?? 'running';
  return {
    Name: `/${fake.name}`,
    Created: fake.created,
    RestartCount: fake.restarts ?? 0,
    Config: { Labels: { 'slipway.deployment-id': fake.deployment } },
    HostConfig: { RestartPolicy: { Name: fake.live === false ? 'no' : 'unless-stopped' } },
    State: {
      Status: status,
      Running: status === 'running' || status === 'restarting',
      Restarting: status === 'restarting',
      OOMKilled: fake.oom ?? false,
      ExitCode: fake.exitCode ?? 0,
      Error: '',
      StartedAt: status === 'created' ? '0001-01-01T00:00:00Z' : '2025-01-01T10:00:00.5Z',
    },
    NetworkSettings: { Networks: { slipway: { IPAddress: fake.ip ?? '' } } },
  } as unknown as Dockerode.ContainerInspectInfo;
}

describe('docker instances', () => {
  const old = inspected({
    name: 'slp-a-1',
    deployment: 'd1',
    created: '2025-01-01T10:00:00Z',
    ip: '10.0.0.1',
  });
  const rolling = inspected({
    name: 'slp-a-2',
    deployment: 'd2',
    created: '2025-01-01T10:05:00Z',
    live: false,
    ip: '10.0.0.2',
  });

  it('maps docker states to instance states', () => {
    expect(instanceState('created')).toBe('starting');
    expect(instanceState('running')).toBe('running');
    expect(instanceState('restarting')).toBe('restarting');
    expect(instanceState('exited')).toBe('exited');
    expect(instanceState('dead')).toBe('exited');
    expect(instanceState('paused')).toBe('unknown');
  });

  it('keeps the old deployment live while a newer one has not passed readiness', () => {
    expect(liveDeploymentId([old, rolling])).toBe('d1');
    expect(liveEndpoints([old, rolling], 'slipway')).toEqual([{ host: '10.0.0.1', port: 8080 }]);
    const instances = toInstances([old, rolling]);
    expect(instances.map((i) => [i.name, i.ready])).toEqual([
      ['slp-a-2', false],
      ['slp-a-1', true],
    ]);
  });

  it('switches to the newer deployment once it passed readiness', () => {
    const promoted = inspected({
      name: 'slp-a-2',
      deployment: 'd2',
      created: '2025-01-01T10:05:00Z',
      ip: '10.0.0.2',
    });
    expect(liveEndpoints([old, promoted], 'slipway')).toEqual([{ host: '10.0.0.2', port: 8080 }]);
    expect(toInstances([old, promoted]).map((i) => i.ready)).toEqual([true, false]);
  });

  it('reports restarts, start time and why an instance is not running', () => {
    const crashed = inspected({
      name: 'slp-a-3',
      deployment: 'd1',
      created: '2025-01-01T10:00:00Z',
      status: 'exited',
      exitCode: 137,
      oom: true,
      restarts: 4,
    });
    const restarting = inspected({
      name: 'slp-a-4',
      deployment: 'd1',
      created: '2025-01-01T10:00:00Z',
      status: 'restarting',
      exitCode: 1,
    });
    const created = inspected({
      name: 'slp-a-5',
      deployment: 'd1',
      created: '2025-01-01T10:00:00Z',
      status: 'created',
    });
    const [a, b, c] = toInstances([crashed, restarting, created]);
    expect(a).toMatchObject({
      state: 'exited',
      ready: false,
      restarts: 4,
      message: 'OOMKilled (exit code 137)',
    });
    expect(a?.startedAt).toEqual(new Date('2025-01-01T10:00:00.5Z'));
    expect(b).toMatchObject({
      state: 'restarting',
      ready: false,
      message: 'restarting after exit code 1',
    });
    expect(c).toMatchObject({ state: 'starting', startedAt: null, message: null });
  });

  it('has no endpoints when nothing passed readiness', () => {
    expect(liveEndpoints([rolling], 'slipway')).toEqual([]);
    expect(liveEndpoints([], 'slipway')).toEqual([]);
  });
});
