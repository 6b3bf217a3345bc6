/**
 * `service deploy --target-concurrency/--idle-timeout`, `service events` and the same settings
 * declared for `slipway iac`, with the built CLI against a running API (docker runtime). No
 * edge reports traffic here, so the platform decides nothing: the events are the user's.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { useCliStack } from './support';

interface Event {
  kind: string;
  cause: string;
  reason: string | null;
  instances: number;
  status: string;
  started_by: string | null;
}

describe('slipway scaling settings and events (the built CLI against a running API)', () => {
  const cli = useCliStack();
  const { slipway, json } = cli;
  const env = () => cli.adminEnv();

  it('deploys a service that may sleep, refuses an idle timeout it cannot have, and lists its scales as events', async () => {
    const serviceId = await cli.stack.createService('cli-scaling');
    const target = ['--id', serviceId];
    const refused = await slipway(
      [
        'service',
        'deploy',
        ...target,
        '--image',
        cli.stack.siteImage,
        '--min-replicas',
        '1',
        '--max-replicas',
        '2',
        '--idle-timeout',
        '60',
      ],
      env(),
    );
    expect(refused).toMatchObject({
      code: 2,
      stderr: expect.stringContaining(
        '--idle-timeout applies only with --min-replicas 0, a service that may sleep (got --min-replicas 1)',
      ),
    });

    const deployed = await slipway(
      [
        'service',
        'deploy',
        ...target,
        '--image',
        cli.stack.siteImage,
        '--min-replicas',
        '0',
        '--max-replicas',
        '2',
        '--target-concurrency',
        '5',
        '--idle-timeout',
        '60',
      ],
      env(),
    );
    expect({ code: deployed.code, stdout: deployed.stdout }).toEqual({
      code: 0,
      stdout: expect.stringMatching(
        /^autoscaling: +0 to 2 instances, CPU \d+%, 5 in flight per instance, sleeps after 60 s idle$/m,
      ),
    });
    const [live] = await json<{ autoscaling: Record<string, unknown> }[]>(
      ['service', 'deployments', ...target],
      env(),
    );
    expect(live?.autoscaling).toMatchObject({
      min_replicas: 0,
      max_replicas: 2,
      target_concurrency: 5,
      idle_timeout_seconds: 60,
    });

    expect(await json(['service', 'events', ...target], env())).toEqual([]);
    const empty = await slipway(['service', 'events', ...target], env());
    expect(empty).toMatchObject({ code: 0, stdout: expect.stringMatching(/^No scaling events/) });

    // Paused and resumed by hand: an autoscaled deployment is not sized otherwise.
    for (const instances of ['0', '1'])
      expect(
        (await slipway(['service', 'scale', ...target, '--instances', instances], env())).code,
      ).toBe(0);

    const events = await json<Event[]>(['service', 'events', ...target], env());
    expect(events).toEqual([
      expect.objectContaining({ kind: 'scale', cause: 'user', reason: null, instances: 1 }),
      expect.objectContaining({ kind: 'scale', cause: 'user', reason: null, instances: 0 }),
    ]);
    expect(events.every((e) => e.status === 'succeeded' && e.started_by !== null)).toBe(true);
    expect(await json<Event[]>(['service', 'events', ...target, '--limit', '1'], env())).toEqual([
      expect.objectContaining({ instances: 1 }),
    ]);
    const table = await slipway(['service', 'events', ...target], env());
    expect(table.code).toBe(0);
    expect(table.stdout.split('\n')).toEqual([
      expect.stringMatching(/^TIME +CAUSE +INSTANCES +STATUS +REASON$/),
      expect.stringMatching(/^\d{4}-\d\d-\d\dT\S+Z +user +1 +succeeded +-$/),
      expect.stringMatching(/^\d{4}-\d\d-\d\dT\S+Z +user +0 +succeeded +-$/),
      '',
    ]);
  });

  it('applies a declared service that may sleep, then plans nothing until its concurrency target changes', async () => {
    const name = `sleepy-${randomBytes(3).toString('hex')}`;
    const dir = join(cli.home, 'synth');
    await mkdir(dir, { recursive: true });
    const synth = (autoscaling: Record<string, number>) =>
      writeFile(
        join(dir, 'cdk.tf.json'),
        JSON.stringify({
          '//': { metadata: { stackName: name } },
          resource: {
            slipway_project: { p: { name } },
            slipway_service: {
              api: {
                project_id: '${slipway_project.p.id}',
                name: 'api',
                image: cli.stack.siteImage,
                autoscaling,
              },
            },
          },
        }),
      );
    const iac = (...args: string[]) => slipway(['iac', ...args, '--synth-dir', dir], env());
    // The idle timeout left out: the API holds its default, which must not read as a change.
    const declared = { min_instances: 0, max_instances: 2, target_cpu_percent: 70 };
    await synth({ ...declared, target_concurrency: 10 });
    const applied = await iac('apply', '--auto-approve');
    expect({ code: applied.code, stderr: applied.stderr }).toEqual({
      code: 0,
      stderr: expect.stringContaining('slipway_service.api: created'),
    });

    const same = await iac('plan');
    expect({ code: same.code, stdout: same.stdout }).toEqual({
      code: 0,
      stdout: expect.stringMatching(/^No changes/),
    });

    await synth({ ...declared, target_concurrency: 20 });
    const changed = await iac('plan', '--json');
    expect(changed.code).toBe(2);
    const plan = JSON.parse(changed.stdout) as {
      resources: { address: string; action: string; attributes: { name: string }[] }[];
    };
    expect(plan.resources.find((r) => r.address === 'slipway_service.api')).toMatchObject({
      action: 'update',
      attributes: [expect.objectContaining({ name: 'autoscaling' })],
    });

    expect((await iac('destroy', '--auto-approve')).code).toBe(0);
  });
});
