/**
 * What the docker runtime reports about running services, against a real Docker Engine:
 * instances and endpoints, restarts after going live, logs (tail and follow), delete.
 */
import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import type { ServiceSpec } from '@slipway/k8s-spec';
import { InstanceNotFoundError, type Endpoint, type ServiceRef } from '../runtime-driver';
import { DockerFixture, eventually, httpGet } from './test-support/docker-fixture';

// Generous: on a loaded machine (and a busy engine) containers may take a while to start.
jest.setTimeout(90_000);

const fixture = new DockerFixture();
const driver = fixture.driver();

/** Serves the site and writes `out N` / `err N` every 200 ms. */
const CHATTY = [
  'sh',
  '-c',
  'httpd -p 8080 -h /www; i=0; while true; do echo "out $i"; echo "err $i" >&2; i=$((i+1)); sleep 0.2; done',
];

function ref(spec: ServiceSpec): ServiceRef {
  return { org: spec.org, project: spec.project, service: spec.service };
}

/** A rollout as the runner carries it out: the replaced instances retire after it. */
async function rollout(spec: ServiceSpec): Promise<readonly Endpoint[]> {
  const result = await driver.rollout(spec, {
    signal: new AbortController().signal,
    readinessTimeoutMs: 30_000,
  });
  await driver.retire(spec, result.retiring ?? []);
  return result.endpoints;
}

function logOptions(overrides: { tailLines?: number; follow?: boolean; signal?: AbortSignal }) {
  return {
    tailLines: overrides.tailLines ?? 1000,
    follow: overrides.follow ?? false,
    signal: overrides.signal ?? new AbortController().signal,
  };
}

/** Buffers a stream's text: its lines so far, and a promise of its end. */
function collect(stream: Readable): { lines: () => string[]; ended: Promise<void> } {
  let buffered = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => (buffered += chunk));
  const ended = new Promise<void>((resolve, reject) => {
    stream.once('end', resolve);
    stream.once('error', reject);
  });
  return { lines: () => buffered.split('\n').filter((line) => line !== ''), ended };
}

function numbers(lines: readonly string[]): number[] {
  return lines.map((line) => Number(line.split(' ')[1]));
}

/**
 * Until a CHATTY instance has logged `out <n>`: its loop went round n + 1 times (rather than
 * a fixed wait, which a loaded machine may spend before the loop gets that far).
 */
async function loggedUpTo(spec: ServiceSpec, name: string, n: number): Promise<void> {
  await eventually(
    async () => text(await driver.logs(ref(spec), name, logOptions({}))),
    (log) => log.split('\n').includes(`out ${n}`),
    20_000,
  );
}

beforeAll(async () => {
  await fixture.setUp();
});

afterAll(async () => {
  await fixture.tearDown();
});

describe('DockerRuntimeDriver instances, logs and delete (real engine)', () => {
  it('lists instances newest first and endpoints of the live deployment', async () => {
    const first = fixture.spec({ replicas: 2 });
    const endpoints = await rollout(first);
    const instances = await driver.instances(ref(first));
    expect(instances).toHaveLength(2);
    for (const instance of instances) {
      expect(instance).toMatchObject({
        deploymentId: first.deploymentId,
        state: 'running',
        ready: true,
        restarts: 0,
        message: null,
      });
      expect(instance.startedAt).toBeInstanceOf(Date);
      expect(instance.name).toMatch(/^slp-site-[0-9a-f]{8}-[0-9a-f]{8}-[01]$/);
    }
    await expect(driver.endpoints(ref(first))).resolves.toEqual(
      expect.arrayContaining([...endpoints]),
    );

    const second = { ...first, replicas: 1, deploymentId: randomUUID() };
    const [newest] = await rollout(second);
    const after = await driver.instances(ref(second));
    expect(after.map((instance) => instance.deploymentId)).toEqual([second.deploymentId]);
    await expect(driver.endpoints(ref(second))).resolves.toEqual([newest]);
    // Another service sees none of it.
    await expect(driver.instances(ref(fixture.spec()))).resolves.toEqual([]);
  });

  it('restarts an instance that crashes after going live and counts the restart', async () => {
    const spec = fixture.spec({ command: ['sh', '-c', 'httpd -p 8080 -h /www; sleep 2; exit 1'] });
    await rollout(spec);
    const [instance] = await eventually(
      () => driver.instances(ref(spec)),
      ([only]) => (only?.restarts ?? 0) >= 1 && only?.state === 'running',
      30_000, // it lives 2 s, then the engine restarts it: generous for a busy engine
    );
    expect(instance?.restarts).toBeGreaterThanOrEqual(1);
    expect(instance?.ready).toBe(true);
    const [endpoint] = await driver.endpoints(ref(spec));
    // The restarted process needs a moment to listen again (docker has no readiness probe).
    const answer = await eventually(
      () => httpGet(endpoint as Endpoint).catch(() => ({ status: 0 })),
      (res) => res.status === 200,
    );
    expect(answer).toMatchObject({ status: 200 });
  });

  it('streams the last lines of both stdout and stderr, then ends', async () => {
    const spec = fixture.spec({ command: CHATTY });
    await rollout(spec);
    const [instance] = await driver.instances(ref(spec));
    const name = instance?.name ?? '';
    await loggedUpTo(spec, name, 3);
    const history = collect(await driver.logs(ref(spec), name, logOptions({ tailLines: 4 })));
    await history.ended;
    const lines = history.lines();
    expect(lines).toHaveLength(4);
    expect(lines.filter((line) => line.startsWith('out '))).toHaveLength(2);
    expect(lines.filter((line) => line.startsWith('err '))).toHaveLength(2);
  });

  it('follows new lines after the history until aborted, or until the container stops', async () => {
    const spec = fixture.spec({ command: CHATTY });
    await rollout(spec);
    const [instance] = await driver.instances(ref(spec));
    const name = instance?.name ?? '';
    await loggedUpTo(spec, name, 3);

    const controller = new AbortController();
    const followed = collect(
      await driver.logs(
        ref(spec),
        name,
        logOptions({ tailLines: 2, follow: true, signal: controller.signal }),
      ),
    );
    const lines = await eventually(
      () => Promise.resolve(followed.lines()),
      (current) => current.length >= 8,
    );
    // History first (the tail, not the start: `out 0` is long gone), then newer lines.
    const historyStart = Math.min(...numbers(lines.slice(0, 2)));
    expect(historyStart).toBeGreaterThanOrEqual(1);
    expect(Math.max(...numbers(lines))).toBeGreaterThanOrEqual(historyStart + 3);
    controller.abort();
    await expect(followed.ended).resolves.toBeUndefined();

    const gone = new AbortController();
    gone.abort();
    const options = logOptions({ follow: true, signal: gone.signal });
    await expect(text(await driver.logs(ref(spec), name, options))).resolves.toBe('');

    const untilStop = collect(
      await driver.logs(ref(spec), name, logOptions({ tailLines: 0, follow: true })),
    );
    await fixture.container(name).stop({ t: 1 });
    await expect(untilStop.ended).resolves.toBeUndefined();
  });

  it('refuses logs of containers that are not the service’s own', async () => {
    const mine = fixture.spec();
    const theirs = fixture.spec();
    await rollout(theirs);
    const [their] = await driver.instances(ref(theirs));
    const options = logOptions({});
    await expect(driver.logs(ref(mine), their?.name ?? '', options)).rejects.toBeInstanceOf(
      InstanceNotFoundError,
    );
    await expect(driver.logs(ref(mine), 'slp-nope-00000000-00000000-0', options)).rejects.toThrow(
      'instance slp-nope-00000000-00000000-0 not found',
    );
    await expect(driver.logs(ref(mine), '../containers', options)).rejects.toBeInstanceOf(
      InstanceNotFoundError,
    );
    // The engine accepts id prefixes; the driver only accepts names.
    const [info] = await fixture.deploymentContainers(theirs.deploymentId);
    await expect(
      driver.logs(ref(theirs), info?.Id.slice(0, 12) ?? '', options),
    ).rejects.toBeInstanceOf(InstanceNotFoundError);
    await expect(text(await driver.logs(ref(theirs), their?.name ?? '', options))).resolves.toBe(
      '',
    );
  });

  it('deletes every container and built image of the service, idempotently', async () => {
    const spec = fixture.spec({ replicas: 2 });
    const builtImage = `slipway-test/built-${fixture.run}:${spec.deploymentId.slice(0, 8)}`;
    await fixture.buildImage(builtImage, {});
    await rollout({ ...spec, image: builtImage });
    const bystander = fixture.spec();
    await rollout(bystander);

    await driver.delete(ref(spec), [builtImage]);
    await expect(driver.instances(ref(spec))).resolves.toEqual([]);
    await expect(fixture.docker.getImage(builtImage).inspect()).rejects.toMatchObject({
      statusCode: 404,
    });
    await expect(driver.delete(ref(spec), [builtImage])).resolves.toBeUndefined();
    // The base image and other services are untouched.
    await expect(fixture.docker.getImage(fixture.baseImage).inspect()).resolves.toBeDefined();
    await expect(driver.instances(ref(bystander))).resolves.toHaveLength(1);
  });
});
