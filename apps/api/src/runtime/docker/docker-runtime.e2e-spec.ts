/**
 * The docker runtime's rollouts against a real Docker Engine: the container contract,
 * readiness, failures with evidence, zero-downtime replacement, cancellation, retries, pulls.
 */
import { randomUUID } from 'node:crypto';
import { otlpHeadersFor } from '@slipway/contracts';
import { Cpu, Size } from '@slipway/k8s-spec';
import {
  RolloutCancelledError,
  RolloutFailedError,
  type Endpoint,
  type RolloutOptions,
} from '../runtime-driver';
import { DockerFixture, INDEX_HTML, httpGet } from './test-support/docker-fixture';

// Generous: on a loaded machine (and a busy engine) containers may take a while to start.
jest.setTimeout(90_000);

const fixture = new DockerFixture();
const driver = fixture.driver();

function rolloutOptions(overrides: Partial<RolloutOptions> = {}): RolloutOptions {
  return { signal: new AbortController().signal, readinessTimeoutMs: 30_000, ...overrides };
}

beforeAll(async () => {
  await fixture.setUp();
});

afterAll(async () => {
  await fixture.tearDown();
});

describe('DockerRuntimeDriver rollout (real engine)', () => {
  it('runs the instance under the container contract and answers on 8080', async () => {
    const progress: string[] = [];
    const spec = fixture.spec({
      env: [
        { name: 'GREETING', value: 'hello' },
        { name: 'API_KEY', value: 's3cret', secret: true },
      ],
      resources: { limits: { cpu: Cpu.millis(500), memory: Size.mebibytes(128) } },
    });
    const { endpoints } = await driver.rollout(
      spec,
      rolloutOptions({ onProgress: (line) => progress.push(line) }),
    );

    expect(endpoints).toHaveLength(1);
    const [endpoint] = endpoints as [Endpoint];
    expect(endpoint.port).toBe(8080);
    await expect(httpGet(endpoint)).resolves.toEqual({ status: 200, body: INDEX_HTML });
    expect(progress).toEqual(expect.arrayContaining(['1/1 instances ready']));
    expect(progress.some((line) => line.startsWith('pulled'))).toBe(false); // present locally

    const name = `slp-site-${spec.service.id.slice(0, 8)}-${spec.deploymentId.slice(0, 8)}-0`;
    await expect(fixture.exec(name, ['id', '-u'])).resolves.toEqual({
      exitCode: 0,
      output: '1000\n',
    });
    // Not just "permission denied" (uid 1000 cannot write / anyway): the mount is read-only.
    const touchRoot = await fixture.exec(name, ['touch', '/x']);
    expect(touchRoot.exitCode).not.toBe(0);
    expect(touchRoot.output).toContain('Read-only file system');
    await expect(fixture.exec(name, ['touch', '/tmp/x'])).resolves.toMatchObject({ exitCode: 0 });
    const mounts = await fixture.exec(name, ['cat', '/proc/mounts']);
    expect(mounts.output).toMatch(/^overlay \/ overlay ro,/m);
    expect(mounts.output).toMatch(/^tmpfs \/tmp tmpfs rw,.*size=524288k/m);
    // A non-root process has no effective capabilities anyway; the bounding set shows the drop.
    const status = await fixture.exec(name, ['cat', '/proc/1/status']);
    expect(status.output).toMatch(/^CapEff:\s+0000000000000000$/m);
    expect(status.output).toMatch(/^CapBnd:\s+0000000000000000$/m);
    expect(status.output).toMatch(/^NoNewPrivs:\s+1$/m);

    const env = (await fixture.exec(name, ['env'])).output.split('\n');
    expect(env).toEqual(
      expect.arrayContaining([
        'GREETING=hello',
        'API_KEY=s3cret',
        `SLIPWAY_SERVICE_ID=${spec.service.id}`,
        `SLIPWAY_SERVICE_TOKEN=${spec.serviceToken}`,
        'OTEL_EXPORTER_OTLP_ENDPOINT=http://collector.invalid:4318',
        `OTEL_EXPORTER_OTLP_HEADERS=${otlpHeadersFor(spec.serviceToken)}`,
        'OTEL_SERVICE_NAME=site',
        'PORT=8080',
      ]),
    );

    const info = await fixture.container(name).inspect();
    expect(info.HostConfig).toMatchObject({
      Memory: 128 * 1024 * 1024,
      NanoCpus: 500_000_000,
      PidsLimit: 512,
      RestartPolicy: { Name: 'unless-stopped' },
    });
    expect(info.NetworkSettings.Ports).toEqual({});
    expect(Object.keys(info.NetworkSettings.Networks)).toEqual([fixture.network]);
  });

  it('creates its network once when two services roll out at the same time', async () => {
    const network = `${fixture.network}-fresh`;
    const fresh = fixture.driver({ network });
    const specs = [fixture.spec(), fixture.spec()];
    try {
      const results = await Promise.all(specs.map((spec) => fresh.rollout(spec, rolloutOptions())));
      expect(results.map((result) => result.endpoints.length)).toEqual([1, 1]);
      const networks = await fixture.docker.listNetworks({ filters: { name: [network] } });
      expect(networks.filter((found) => found.Name === network)).toHaveLength(1);
    } finally {
      await Promise.all(specs.map((spec) => fresh.delete(spec)));
      await fixture.docker
        .getNetwork(network)
        .remove()
        .catch(() => undefined);
    }
  });

  it('waits for the health check path before calling the instance ready', async () => {
    const spec = fixture.spec({
      healthCheckPath: '/index.html',
      command: ['sh', '-c', 'sleep 1; exec httpd -f -p 8080 -h /www'],
    });
    const started = Date.now();
    const { endpoints } = await driver.rollout(spec, rolloutOptions());
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    await expect(httpGet(endpoints[0] as Endpoint)).resolves.toMatchObject({ status: 200 });
  });

  it('fails with the exit code and the last log lines when an instance exits', async () => {
    const spec = fixture.spec({
      command: ['sh', '-c', 'echo starting up; echo dying >&2; exit 3'],
    });
    const error = await driver.rollout(spec, rolloutOptions()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RolloutFailedError);
    const reason = (error as RolloutFailedError).reason;
    expect(reason).toMatch(/^instance slp-site-\S+-0 exited with code 3 before becoming ready\./);
    // stdout and stderr are copied by separate engine routines: their relative order can vary.
    const evidence = reason.split('Last log lines:\n')[1]?.split('\n');
    expect(evidence?.sort()).toEqual(['dying', 'starting up']);
    await expect(fixture.deploymentContainers(spec.deploymentId)).resolves.toEqual([]);
  });

  it('fails an instance that never listens within the readiness timeout', async () => {
    const spec = fixture.spec({ command: ['sh', '-c', 'echo waiting forever; exec sleep 60'] });
    const started = Date.now();
    // 5 s rather than less: the reason quotes the last check, so the container must be up
    // (running, with an address, its line logged) before the deadline, and a busy engine
    // may take seconds to get there.
    const error = await driver
      .rollout(spec, rolloutOptions({ readinessTimeoutMs: 5000 }))
      .catch((e: unknown) => e);
    // The 5 s, not the 30 s default (the time also covers creating and removing the
    // container, which a busy engine may take seconds over).
    expect(Date.now() - started).toBeLessThan(25_000);
    expect(error).toBeInstanceOf(RolloutFailedError);
    expect((error as RolloutFailedError).reason).toMatch(
      /did not become ready within 5 s \(TCP connect to port 8080: connection refused\)\. Last log lines:\nwaiting forever$/,
    );
    await expect(fixture.deploymentContainers(spec.deploymentId)).resolves.toEqual([]);
  });

  it('quotes the health check answer when the path never succeeds', async () => {
    const spec = fixture.spec({ healthCheckPath: '/healthz' });
    // 5 s rather than less: the server must be up and answering before the deadline for its
    // answer to be quoted, and a busy engine may take seconds to start it.
    const error = await driver
      .rollout(spec, rolloutOptions({ readinessTimeoutMs: 5000 }))
      .catch((e: unknown) => e);
    expect((error as RolloutFailedError).reason).toContain(
      'did not become ready within 5 s (health check GET /healthz: HTTP 404)',
    );
  });

  it('gives the contract’s user a writable /tmp even when the image has none', async () => {
    // From scratch: no /tmp in the image, so the engine would mount it root-owned 0755.
    const image = `slipway-test/no-tmp-${fixture.run}:1`;
    await fixture.buildImage(
      image,
      {},
      [
        `FROM ${fixture.baseImage} AS base`,
        'FROM scratch',
        'COPY --from=base /bin/busybox /bin/busybox',
        'COPY index.html /www/index.html',
        'ENTRYPOINT ["/bin/busybox"]',
        'CMD ["httpd","-f","-p","8080","-h","/www"]',
        '',
      ].join('\n'),
    );
    const spec = fixture.spec({ image });
    await driver.rollout(spec, rolloutOptions());
    const name = `slp-site-${spec.service.id.slice(0, 8)}-${spec.deploymentId.slice(0, 8)}-0`;
    await expect(
      fixture.exec(name, [
        '/bin/busybox',
        'sh',
        '-c',
        'echo ok > /tmp/huggingface && cat /tmp/huggingface',
      ]),
    ).resolves.toEqual({ exitCode: 0, output: 'ok\n' });
    await expect(
      fixture.exec(name, ['/bin/busybox', 'stat', '-c', '%a %u', '/tmp']),
    ).resolves.toEqual({ exitCode: 0, output: '1777 0\n' });
  });

  it('stops a server that ignores SIGTERM as PID 1 at once, not after the grace period', async () => {
    const patient = fixture.driver({ stopTimeoutSeconds: 20 });
    const spec = fixture.spec();
    await patient.rollout(spec, rolloutOptions());
    const [container] = await fixture.deploymentContainers(spec.deploymentId);
    const next = { ...spec, deploymentId: randomUUID() };
    const { retiring = [] } = await patient.rollout(next, rolloutOptions());
    expect(retiring).toEqual([container?.Id]);
    const started = Date.now();
    await patient.retire(next, retiring);
    // httpd installs no SIGTERM handler: as PID 1 it would ignore the signal for 20 s. Well
    // short of that, with room for a busy engine.
    expect(Date.now() - started).toBeLessThan(15_000);
    await expect(fixture.deploymentContainers(spec.deploymentId)).resolves.toEqual([]);
  });

  it('keeps the previous deployment serving when a new one fails', async () => {
    const good = fixture.spec();
    const { endpoints } = await driver.rollout(good, rolloutOptions());
    const broken = { ...good, deploymentId: randomUUID(), command: ['false'] };
    await expect(driver.rollout(broken, rolloutOptions())).rejects.toThrow(/exited with code 1/);
    await expect(httpGet(endpoints[0] as Endpoint)).resolves.toMatchObject({ status: 200 });
    await expect(fixture.deploymentContainers(good.deploymentId)).resolves.toHaveLength(1);
  });

  it('replaces a deployment without failing a single request: the old ones serve until retired', async () => {
    const first = fixture.spec({ replicas: 2 });
    let published: readonly Endpoint[] = (await driver.rollout(first, rolloutOptions())).endpoints;
    const firstHosts = published.map((endpoint) => endpoint.host);
    expect(firstHosts).toHaveLength(2);

    const failures: string[] = [];
    // Answers per phase and host: `${phase} ${host}`. Phase 0: before the second rollout
    // returned; 1: the old instances set aside; 2: the new ones published.
    let phase = 0;
    const served = new Map<string, number>();
    const count = (key: string): number => served.get(key) ?? 0;
    let running = true;
    const hammer = async (): Promise<void> => {
      for (let i = 0; running; i += 1) {
        const endpoint = published[i % published.length] as Endpoint;
        const asked = phase;
        try {
          const answer = await httpGet(endpoint);
          if (answer.status !== 200) failures.push(`${endpoint.host}: HTTP ${answer.status}`);
          served.set(`${asked} ${endpoint.host}`, count(`${asked} ${endpoint.host}`) + 1);
        } catch (error) {
          failures.push(`${endpoint.host}: ${(error as Error).message}`);
        }
      }
    };
    /** Until each host answered a request made in this phase (not a fixed wait: a loaded
     * machine may take longer than any). */
    const servedInPhase = async (hosts: readonly string[]): Promise<void> => {
      const deadline = Date.now() + 20_000;
      while (hosts.some((host) => count(`${phase} ${host}`) === 0)) {
        if (Date.now() > deadline) throw new Error(`phase ${phase}: ${hosts.join(', ')} silent`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };
    const loops = [hammer(), hammer(), hammer()];
    const second = { ...first, deploymentId: randomUUID() };
    const { endpoints, retiring = [] } = await driver.rollout(second, rolloutOptions());
    // Set aside, the old instances still answer whoever the route sends there.
    phase = 1;
    await servedInPhase(firstHosts);
    expect(retiring).toHaveLength(2);
    await expect(fixture.deploymentContainers(first.deploymentId)).resolves.toHaveLength(2);
    published = endpoints;
    phase = 2;
    await servedInPhase(endpoints.map((endpoint) => endpoint.host));
    running = false;
    await Promise.all(loops);
    await driver.retire(second, retiring);

    expect(failures).toEqual([]);
    expect(
      endpoints.map((endpoint) => endpoint.host).some((host) => firstHosts.includes(host)),
    ).toBe(false);
    for (const host of firstHosts) expect(count(`1 ${host}`)).toBeGreaterThan(0);
    for (const { host } of endpoints) expect(count(`2 ${host}`)).toBeGreaterThan(0);
    await expect(driver.endpoints(second)).resolves.toEqual(expect.arrayContaining([...endpoints]));
    await expect(fixture.deploymentContainers(first.deploymentId)).resolves.toEqual([]);
    await expect(fixture.deploymentContainers(second.deploymentId)).resolves.toHaveLength(2);
  });

  it('retires only the service’s own containers, and a second retire is harmless', async () => {
    const mine = fixture.spec();
    const other = fixture.spec();
    const { retiring: none = [] } = await driver.rollout(mine, rolloutOptions());
    expect(none).toEqual([]);
    await driver.rollout(other, rolloutOptions());
    const [otherContainer] = await fixture.deploymentContainers(other.deploymentId);
    const next = { ...mine, deploymentId: randomUUID() };
    const { retiring = [] } = await driver.rollout(next, rolloutOptions());

    await driver.retire(mine, [...retiring, otherContainer?.Id ?? '']);
    await driver.retire(mine, retiring);
    await expect(fixture.deploymentContainers(mine.deploymentId)).resolves.toEqual([]);
    await expect(fixture.deploymentContainers(other.deploymentId)).resolves.toMatchObject([
      { Id: otherContainer?.Id, State: 'running' },
    ]);
  });

  it('removes the new containers and leaves the old ones when cancelled', async () => {
    const current = fixture.spec();
    const { endpoints } = await driver.rollout(current, rolloutOptions());
    const superseded = { ...current, deploymentId: randomUUID(), command: ['sleep', '60'] };
    const controller = new AbortController();
    const rollout = driver.rollout(
      superseded,
      rolloutOptions({
        signal: controller.signal,
        onProgress: (line) => {
          if (line.startsWith('started')) setTimeout(() => controller.abort(), 300);
        },
      }),
    );
    await expect(rollout).rejects.toBeInstanceOf(RolloutCancelledError);
    await expect(fixture.deploymentContainers(superseded.deploymentId)).resolves.toEqual([]);
    await expect(httpGet(endpoints[0] as Endpoint)).resolves.toMatchObject({ status: 200 });
  });

  it('does not start anything for a signal aborted before the rollout', async () => {
    const spec = fixture.spec();
    const controller = new AbortController();
    controller.abort();
    await expect(
      driver.rollout(spec, rolloutOptions({ signal: controller.signal })),
    ).rejects.toBeInstanceOf(RolloutCancelledError);
    await expect(fixture.deploymentContainers(spec.deploymentId)).resolves.toEqual([]);
  });

  it('reuses the containers of a retried rollout and replaces changed ones', async () => {
    const spec = fixture.spec();
    await driver.rollout(spec, rolloutOptions());
    const [original] = await fixture.deploymentContainers(spec.deploymentId);

    const retried = await driver.rollout(spec, rolloutOptions());
    const afterRetry = await fixture.deploymentContainers(spec.deploymentId);
    expect(afterRetry.map((info) => info.Id)).toEqual([original?.Id]);
    await expect(httpGet(retried.endpoints[0] as Endpoint)).resolves.toMatchObject({ status: 200 });

    const restarted = { ...spec, restartedAt: new Date().toISOString() };
    const { endpoints, retiring = [] } = await driver.rollout(restarted, rolloutOptions());
    expect(retiring).toEqual([original?.Id]);
    await driver.retire(spec, retiring);
    const afterRestart = await fixture.deploymentContainers(spec.deploymentId);
    expect(afterRestart).toHaveLength(1);
    expect(afterRestart[0]?.Id).not.toBe(original?.Id);
    expect(afterRestart[0]?.Names).toEqual([
      `/slp-site-${spec.service.id.slice(0, 8)}-${spec.deploymentId.slice(0, 8)}-0`,
    ]);
    await expect(httpGet(endpoints[0] as Endpoint)).resolves.toMatchObject({ status: 200 });
  });

  it('pulls an image pinned by digest from the registry, and reports a failed pull', async () => {
    const { repository, digest } = await fixture.pushToRegistry('site');
    const pulling = fixture.driver({ pullPolicy: 'always' });
    const progress: string[] = [];
    const spec = fixture.spec({ image: `${repository}:1`, imageDigest: digest });
    const { endpoints } = await pulling.rollout(
      spec,
      rolloutOptions({ onProgress: (line) => progress.push(line) }),
    );
    expect(progress).toContain(`pulled image ${repository}@${digest}`);
    await expect(httpGet(endpoints[0] as Endpoint)).resolves.toMatchObject({ status: 200 });

    const missing = fixture.spec({
      image: `${fixture.registry}/slipway-test-${fixture.run}/missing:1`,
    });
    const error = await driver.rollout(missing, rolloutOptions()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RolloutFailedError);
    expect((error as RolloutFailedError).reason).toMatch(
      new RegExp(`^cannot pull image ${missing.image.replace(/[.]/g, '\\.')}: .+`),
    );
  });
});
