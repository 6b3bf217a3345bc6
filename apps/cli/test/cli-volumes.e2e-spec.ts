/**
 * `service deploy --volume`, `service volumes`, `service backup`, `service restore` and
 * `service delete --keep-volumes` with the built CLI against a running API (docker runtime).
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { useCliStack } from './support';

const docker = (...args: string[]) => promisify(execFile)('docker', args);

interface Volume {
  name: string;
  ordinal: number;
  size: string;
  attached: boolean;
  runtime_name: string;
}

interface Transfer {
  id: string;
  kind: string;
  status: string;
  sha256: string | null;
}

jest.setTimeout(240_000);

describe('slipway stateful services (the built CLI against a running API)', () => {
  const cli = useCliStack();
  const { slipway, json } = cli;
  const env = () => cli.adminEnv();

  it('deploys with a volume, lists it, backs it up, refuses to restore into a running instance, restores a paused one and keeps it on delete', async () => {
    const serviceId = await cli.stack.createService('cli-vol');
    const target = ['--id', serviceId];
    const deployed = await slipway(
      [
        'service',
        'deploy',
        ...target,
        '--image',
        cli.stack.siteImage,
        '--volume',
        'data:/var/lib/data:1Gi',
      ],
      env(),
    );
    expect({ code: deployed.code, stderr: deployed.stderr }).toEqual({
      code: 0,
      stderr: expect.any(String),
    });

    const volumes = await json<Volume[]>(['service', 'volumes', ...target], env());
    expect(volumes).toEqual([
      expect.objectContaining({ name: 'data', ordinal: 0, size: '1Gi', attached: true }),
    ]);

    const backup = await json<Transfer>(
      ['service', 'backup', ...target, '--volume', 'data'],
      env(),
    );
    expect(backup).toMatchObject({
      kind: 'backup',
      status: 'succeeded',
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
    });

    const refused = await slipway(
      ['service', 'restore', ...target, '--volume', 'data', '--backup', backup.id],
      env(),
    );
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('Instance 0 is running and mounts volume data');

    expect((await slipway(['service', 'scale', ...target, '--instances', '0'], env())).code).toBe(
      0,
    );
    const restored = await json<Transfer>(
      [
        'service',
        'restore',
        ...target,
        '--volume',
        'data',
        '--ordinal',
        '0',
        '--backup',
        backup.id,
      ],
      env(),
    );
    expect(restored).toMatchObject({ kind: 'restore', status: 'succeeded', sha256: backup.sha256 });

    const deleted = await slipway(['service', 'delete', ...target, '--keep-volumes'], env());
    expect(deleted.code).toBe(0);
    const kept = volumes[0]?.runtime_name ?? '';
    await expect(docker('volume', 'inspect', kept)).resolves.toMatchObject({
      stdout: expect.stringContaining(kept),
    });
    await docker('volume', 'rm', kept);
  });

  it('refuses a --volume that is not NAME:MOUNT_PATH:SIZE before calling the API', async () => {
    const result = await slipway(
      [
        'service',
        'deploy',
        '--id',
        '00000000-0000-4000-8000-000000000000',
        '--image',
        'x',
        '--volume',
        'data:/data',
      ],
      env(),
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--volume takes NAME:MOUNT_PATH:SIZE');
  });
});
