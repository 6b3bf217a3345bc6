import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BIN, useCliStack } from './support';

interface Deployment {
  id: string;
  status: string;
  command: string[] | null;
  args: string[] | null;
  resources: { requests: { cpu: string; memory: string }; limits: { cpu: string; memory: string } };
  autoscaling: Record<string, unknown> | null;
}

interface LogLine {
  timestamp: string;
  instance: string;
  message: string;
}

/** NDJSON, as `service logs --json` prints it. */
function jsonLines<T>(stdout: string): T[] {
  return stdout
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as T);
}

describe('slipway service operations (the built CLI against a running API)', () => {
  const cli = useCliStack();
  const { slipway, json } = cli;

  /** Makes the admin's default project current in this test's config file. */
  async function selectDefaultProject(): Promise<string> {
    await json(['config', '--api-url', cli.apiUrl, '--token', cli.stack.t.adminToken]);
    const projects = await json<{ id: string; name: string }[]>(['project', 'list']);
    const project = projects.find((p) => p.name === 'default');
    if (!project) throw new Error('the admin has no default project');
    await json(['project', 'set', '--id', project.id]);
    return project.id;
  }

  async function sourceDir(files: Record<string, string | Buffer>): Promise<string> {
    const dir = join(cli.home, 'app');
    for (const [path, content] of Object.entries(files)) {
      await mkdir(join(dir, path, '..'), { recursive: true });
      await writeFile(join(dir, path), content);
    }
    return dir;
  }

  it('runs the README quick start: config, project set, create, deploy --source, status, logs, delete', async () => {
    await selectDefaultProject();
    const name = `readme-${randomBytes(3).toString('hex')}`;
    const created = await json<{ id: string; hostname: string }>([
      'service',
      'create',
      '--name',
      name,
      '--access',
      'public',
    ]);
    const dir = await sourceDir({
      Dockerfile: `FROM ${cli.stack.baseImage}\nCOPY index.html /www/index.html\nCMD ["sh", "-c", "echo serving $GREETING; exec httpd -f -p 8080 -h /www"]\n`,
      'index.html': 'hello\n',
    });
    const deployed = await slipway([
      'service',
      'deploy',
      '--name',
      name,
      '--source',
      dir,
      '--env',
      'GREETING',
      'hi',
    ]);
    expect({ code: deployed.code, stdout: deployed.stdout }).toEqual({
      code: 0,
      stdout: expect.stringMatching(/^status: +succeeded$/m),
    });

    const status = await slipway(['service', 'status', '--name', name]);
    expect(status).toMatchObject({ code: 0, stdout: expect.stringMatching(/1 ready/) });

    const logs = await slipway(['service', 'logs', '--name', name]);
    expect(logs.code).toBe(0);
    expect(logs.stdout).toMatch(/^\d{4}-\d\d-\d\dT\S+Z \S+ serving hi$/m);

    const url = await slipway(['service', 'url', '--name', name]);
    expect(url).toMatchObject({ code: 0, stdout: `https://${created.hostname}\n` });

    const deleted = await slipway(['service', 'delete', '--name', name, '--force']);
    expect(deleted).toMatchObject({ code: 0, stdout: `Deleted service ${name} (${created.id})\n` });
    const gone = await slipway(['service', 'get', '--name', name]);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toMatch(/^error: no service named "[^"]+" in project [0-9a-f-]{36}/);
  });

  it('deploys with the Dynamiq CLI flags, then shows pods, logs, deployments and an update', async () => {
    await selectDefaultProject();
    const serviceId = await cli.stack.createService('cli-ops');
    const ticker = 'i=0; while true; do i=$((i+1)); echo tick $i; sleep 1; done';
    const deployment = await json<Deployment>([
      'service',
      'deploy',
      '--id',
      serviceId,
      '--image',
      cli.stack.siteImage,
      '--command',
      'sh',
      '--args',
      '-c',
      '--args',
      `echo ops-started; (${ticker}) & exec httpd -f -p 8080 -h /www`,
      '--cpu-requests',
      '100m',
      '--memory-requests',
      '64Mi',
      '--cpu-limits',
      '500m',
      '--memory-limits',
      '128Mi',
      '--min-replicas',
      '1',
      '--max-replicas',
      '2',
      '--target-cpu-utilization',
      '70',
    ]);
    expect(deployment).toMatchObject({
      status: 'succeeded',
      command: ['sh'],
      args: ['-c', expect.stringContaining('echo ops-started')],
      resources: {
        requests: { cpu: '100m', memory: '64Mi' },
        limits: { cpu: '500m', memory: '128Mi' },
      },
      autoscaling: { min_replicas: 1, max_replicas: 2 },
    });

    const pods = await json<{ name: string; ready: boolean; deployment_id: string }[]>([
      'service',
      'pods',
      '--id',
      serviceId,
    ]);
    expect(pods).toEqual([expect.objectContaining({ ready: true, deployment_id: deployment.id })]);
    const podName = pods[0]?.name ?? '';

    const podLog = await slipway([
      'service',
      'logs',
      '--id',
      serviceId,
      '--pod',
      podName,
      '--json',
    ]);
    expect(podLog.code).toBe(0);
    expect(jsonLines<{ instance: string; message: string }>(podLog.stdout)).toContainEqual({
      instance: podName,
      message: 'ops-started',
    });

    const filtered = await slipway([
      'service',
      'logs',
      '--id',
      serviceId,
      '--filter',
      'tick',
      '--json',
    ]);
    expect(filtered.code).toBe(0);
    const ticks = jsonLines<LogLine>(filtered.stdout);
    expect(ticks.length).toBeGreaterThan(0);
    expect(ticks.every((l) => l.message.startsWith('tick ') && l.instance === podName)).toBe(true);

    const history = await json<{ id: string; status: string }[]>([
      'service',
      'deployments',
      '--id',
      serviceId,
    ]);
    expect(history[0]).toMatchObject({ id: deployment.id, status: 'succeeded' });

    const updated = await json<Record<string, unknown>>([
      'service',
      'update',
      '--id',
      serviceId,
      '--description',
      'ticks every second',
      '--access',
      'public',
      '--max-replicas',
      '3',
    ]);
    expect(updated).toMatchObject({
      description: 'ticks every second',
      access_control: { access_type: 'public' },
      max_replicas: 3,
    });

    const traces = await json<unknown[]>([
      'service',
      'traces',
      '--id',
      serviceId,
      '--since',
      '600',
    ]);
    expect(traces).toEqual([]);
    const badStatus = await slipway(['service', 'traces', '--id', serviceId, '--status', 'ok']);
    expect(badStatus.code).toBe(2);
    expect(badStatus.stderr).toContain("argument 'ok' is invalid");
  });

  it("follows logs with -f until interrupted: service-wide lines once each, and one pod's stream", async () => {
    const serviceId = await cli.stack.createService('cli-follow');
    const ticker = 'i=0; while true; do i=$((i+1)); echo tick $i; sleep 0.5; done';
    await json(
      [
        'service',
        'deploy',
        '--id',
        serviceId,
        '--image',
        cli.stack.siteImage,
        '--command',
        'sh',
        '--args',
        '-c',
        '--args',
        `(${ticker}) & exec httpd -f -p 8080 -h /www`,
      ],
      cli.adminEnv(),
    );

    // Long enough for three polls after the first answer, and for more than 8 lines: on a
    // loaded machine the CLI may take seconds to start, so it runs until it printed them.
    const serviceWide = await followFor(7000, ['--filter', 'tick'], (out) => ticks(out).length > 8);
    expect(serviceWide.code).toBe(0);
    const numbers = jsonLines<LogLine>(serviceWide.stdout).map((l) =>
      Number(l.message.replace('tick ', '')),
    );
    expect(numbers.length).toBeGreaterThan(8);
    // Consecutive: nothing lost between polls, nothing printed twice.
    expect(numbers).toEqual(numbers.map((_, i) => (numbers[0] ?? 0) + i));

    const [pod] = await json<{ name: string }[]>(
      ['service', 'pods', '--id', serviceId],
      cli.adminEnv(),
    );
    const started = Date.now();
    const newest = numbers.at(-1) ?? 0;
    const onePod = await followFor(3000, ['--pod', pod?.name ?? ''], (out) =>
      ticks(out).some((n) => n > newest),
    );
    expect(onePod.code).toBe(0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(3000);
    const podTicks = jsonLines<{ message: string }>(onePod.stdout).filter((l) =>
      l.message.startsWith('tick '),
    );
    // The stream went on after its backlog: it printed ticks newer than the service-wide ones.
    expect(Number(podTicks.at(-1)?.message.replace('tick ', ''))).toBeGreaterThan(
      numbers.at(-1) ?? 0,
    );

    /** The tick numbers in `--json` output. */
    function ticks(stdout: string): number[] {
      return jsonLines<{ message: string }>(stdout)
        .filter((l) => l.message.startsWith('tick '))
        .map((l) => Number(l.message.replace('tick ', '')));
    }

    /**
     * `service logs -f --json`, interrupted with SIGINT (Ctrl-C) after `ms`, or later, once
     * its output shows `enough` (the CLI printing is also how the test knows it is running).
     */
    async function followFor(
      ms: number,
      args: string[],
      enough: (stdout: string) => boolean,
    ): Promise<{ code: number | null; stdout: string }> {
      const child = spawn(
        process.execPath,
        [BIN, 'service', 'logs', '--id', serviceId, '-f', '--json', ...args],
        { env: { PATH: process.env.PATH ?? '', HOME: cli.home, ...cli.adminEnv() } },
      );
      let stdout = '';
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
      });
      const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
      await new Promise((resolve) => setTimeout(resolve, ms));
      const deadline = Date.now() + 60_000;
      while (!enough(complete(stdout)) && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      child.kill('SIGINT');
      return { code: await exited, stdout };
    }

    /** Up to the last newline: a line still being written is not parsed. */
    function complete(stdout: string): string {
      return stdout.slice(0, stdout.lastIndexOf('\n') + 1);
    }
  });

  it('resolves --name only when it names one service of the current project', async () => {
    await selectDefaultProject();
    const both = await slipway(['service', 'get', '--id', randomUUID(), '--name', 'x']);
    expect(both).toMatchObject({
      code: 2,
      stderr: 'error: give either --id or --name, not both\n',
    });
    const missing = await slipway(['service', 'pods', '--name', 'no-such-service']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^error: no service named "no-such-service" in project /);
    const unknown = await slipway(['service', 'pods', '--id', randomUUID()]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/^error: .*not found/i);
    // Another config directory: no project is current there.
    const noProject = await slipway(['service', 'get', '--name', 'x'], {
      ...cli.adminEnv(),
      XDG_CONFIG_HOME: join(cli.home, 'other'),
    });
    expect(noProject.code).toBe(2);
    expect(noProject.stderr).toContain(
      '--name x is looked up in the current project and none is selected',
    );
  });

  it('refuses a packed source above --max-upload-mb before uploading', async () => {
    const dir = await sourceDir({
      Dockerfile: `FROM ${cli.stack.baseImage}\n`,
      // Random bytes do not compress: the archive stays above 1 MiB.
      'blob.bin': randomBytes(1536 * 1024),
    });
    const result = await slipway(
      ['service', 'deploy', '--id', randomUUID(), '--source', dir, '--max-upload-mb', '1'],
      cli.adminEnv(),
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^error: the packed source is \d+\.\d MiB, above the 1 MiB upload limit: .*--max-upload-mb$/m,
    );
    expect(result.stderr).not.toContain('uploading');
  });
});
