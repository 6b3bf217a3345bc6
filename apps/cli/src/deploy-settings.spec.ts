import { CliError, UsageError } from './errors';
import { checkUploadSize, deploySettings, repeatable } from './deploy-settings';

describe('deploy settings from flags', () => {
  it('is empty without flags, and takes the current resource profile', () => {
    expect(deploySettings({})).toEqual({});
    expect(deploySettings({}, 'profile-1')).toEqual({ resource_profile_id: 'profile-1' });
  });

  it('prefers --resource-profile to the current one', () => {
    expect(deploySettings({ resourceProfile: 'given' }, 'current')).toEqual({
      resource_profile_id: 'given',
    });
  });

  it('passes --health-check-path, --stop-grace-period and --port by their API names', () => {
    expect(
      deploySettings({ healthCheckPath: '/healthz', stopGracePeriod: 30, port: 3000 }),
    ).toEqual({
      health_check_path: '/healthz',
      stop_grace_period_seconds: 30,
      port: 3000,
    });
  });

  it('reads --volume NAME:MOUNT_PATH:SIZE, and refuses anything else with the expected form', () => {
    expect(deploySettings({ volume: ['data:/var/lib/data:10Gi', 'cache:/cache:1Gi'] })).toEqual({
      volumes: [
        { name: 'data', mount_path: '/var/lib/data', size: '10Gi' },
        { name: 'cache', mount_path: '/cache', size: '1Gi' },
      ],
    });
    for (const bad of ['data:/var/lib/data', 'data', 'a:/b:1Gi:extra', ':/data:1Gi'])
      expect(() => deploySettings({ volume: [bad] })).toThrow(
        new UsageError(
          `--volume takes NAME:MOUNT_PATH:SIZE, such as data:/var/lib/data:10Gi (got "${bad}")`,
        ),
      );
  });

  it('passes --command and --args through in order', () => {
    const args = ['-c', 'echo hi'].reduce<string[] | undefined>(
      (all, a) => repeatable(a, all),
      undefined,
    );
    expect(deploySettings({ command: ['sh'], args })).toEqual({
      command: ['sh'],
      args: ['-c', 'echo hi'],
    });
  });

  it('builds resources from whichever quantities are given', () => {
    expect(deploySettings({ cpuRequests: '100m', memoryLimits: '256Mi' })).toEqual({
      resources: { requests: { cpu: '100m' }, limits: { memory: '256Mi' } },
    });
    expect(
      deploySettings({
        cpuRequests: '1',
        memoryRequests: '1Gi',
        cpuLimits: '2',
        memoryLimits: '2Gi',
      }).resources,
    ).toEqual({ requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '2', memory: '2Gi' } });
  });

  it('builds the autoscaling block with a CPU utilization target', () => {
    expect(
      deploySettings({ minReplicas: 1, maxReplicas: 4, targetCpuUtilization: 70 }).autoscaling,
    ).toEqual({
      min_replicas: 1,
      max_replicas: 4,
      metrics: [
        {
          type: 'resource',
          resource: { name: 'cpu', target: { type: 'utilization', average_utilization: 70 } },
        },
      ],
    });
    expect(deploySettings({ minReplicas: 0, maxReplicas: 2 }).autoscaling).toEqual({
      min_replicas: 0,
      max_replicas: 2,
    });
  });

  it('adds --target-concurrency and, for a service that may sleep, --idle-timeout', () => {
    expect(
      deploySettings({ minReplicas: 0, maxReplicas: 4, targetConcurrency: 20, idleTimeout: 600 })
        .autoscaling,
    ).toEqual({
      min_replicas: 0,
      max_replicas: 4,
      target_concurrency: 20,
      idle_timeout_seconds: 600,
    });
    expect(
      deploySettings({ minReplicas: 1, maxReplicas: 3, targetConcurrency: 5 }).autoscaling,
    ).toEqual({ min_replicas: 1, max_replicas: 3, target_concurrency: 5 });
  });

  it('refuses --idle-timeout unless --min-replicas is 0, and either new flag without bounds', () => {
    expect(() => deploySettings({ minReplicas: 1, maxReplicas: 3, idleTimeout: 600 })).toThrow(
      new UsageError(
        '--idle-timeout applies only with --min-replicas 0, a service that may sleep (got --min-replicas 1)',
      ),
    );
    for (const flags of [{ idleTimeout: 600 }, { targetConcurrency: 10 }, { minReplicas: 0 }])
      expect(() => deploySettings(flags)).toThrow(
        new UsageError('autoscaling needs both --min-replicas and --max-replicas'),
      );
  });

  it('refuses incomplete or contradictory autoscaling as a usage error', () => {
    expect(() => deploySettings({ maxReplicas: 3 })).toThrow(
      'autoscaling needs both --min-replicas and --max-replicas',
    );
    expect(() => deploySettings({ targetCpuUtilization: 50 })).toThrow(UsageError);
    expect(() => deploySettings({ minReplicas: 3, maxReplicas: 2 })).toThrow(
      '--min-replicas (3) must not exceed --max-replicas (2)',
    );
    expect(() => deploySettings({ minReplicas: 1, maxReplicas: 2, replicas: 2 })).toThrow(
      '--replicas is a fixed count',
    );
  });
});

describe('the upload cap', () => {
  const MiB = 1024 * 1024;

  it('lets a bundle of exactly the cap through', () => {
    expect(() => checkUploadSize(100 * MiB, 100)).not.toThrow();
  });

  it('refuses a larger one, naming --max-upload-mb', () => {
    const refuse = (): void => checkUploadSize(150 * MiB + 1, 100);
    expect(refuse).toThrow(CliError);
    expect(refuse).toThrow(
      /^the packed source is 150\.0 MiB, above the 100 MiB upload limit: .*--max-upload-mb$/,
    );
  });
});
