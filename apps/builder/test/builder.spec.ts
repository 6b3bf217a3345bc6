/**
 * The builder as a whole: a real BullMQ queue on the real Redis (a unique prefix per run),
 * the real docker driver against the real Engine and registry, and a scripted driver for
 * timeouts, retries and shutdown.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  type BuildJobPayload,
  type BuildJobResult,
  buildLogStreamKey,
  deploymentJobId,
  JOB_NAMES,
  QUEUES,
} from '@slipway/contracts';
import { type Job, Queue, Worker } from 'bullmq';
import Docker from 'dockerode';
import Redis from 'ioredis';
import { type Builder, createBuilder } from '../src/builder';
import type { BuildDriver, BuildLogSink } from '../src/drivers/build-driver';
import { BundleServer, bundleOf, dockerTestEnv, registryDigest } from '../src/test-support/bundles';
import { STALLED_BUILD_BOUND_MS } from '../src/worker/worker-settings';

// Jobs go through the queue to real builds; `settled` bounds each wait itself.
jest.setTimeout(90_000);

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const RUN_ID = randomUUID().slice(0, 8);
const PREFIX = `slipway-test-${RUN_ID}`;

let env: { baseImage: string; registry: string };
let redis: Redis;
let queue: Queue;
let workDir: string;
const server = new BundleServer();
const docker = new Docker();
const deployments: string[] = [];

beforeAll(async () => {
  env = dockerTestEnv();
  redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  queue = new Queue(QUEUES.build, { connection: redis, prefix: PREFIX });
  workDir = await mkdtemp(join(tmpdir(), 'slipway-builder-'));
  await server.start();
});

afterAll(async () => {
  await server.stop();
  await queue.obliterate({ force: true });
  await queue.close();
  if (deployments.length > 0) await redis.del(...deployments.map(buildLogStreamKey));
  const images = await docker.listImages({
    filters: { reference: [`${env.registry}/test-${RUN_ID}/svc`] },
  });
  for (const image of images) await docker.getImage(image.Id).remove({ force: true });
  await redis.quit();
  await rm(workDir, { recursive: true, force: true });
});

function builderEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    REDIS_URL,
    SLIPWAY_QUEUE_PREFIX: PREFIX,
    SLIPWAY_BUILDER_WORK_DIR: workDir,
    SLIPWAY_BUILDER_CONCURRENCY: '2',
    ...extra,
  };
}

async function payload(files: Record<string, string>): Promise<BuildJobPayload> {
  const deploymentId = `dep-${RUN_ID}-${deployments.length + 1}`;
  deployments.push(deploymentId);
  return {
    deploymentId,
    serviceId: `svc-${RUN_ID}`,
    projectId: 'proj',
    orgId: 'org',
    bundle: server.serve(await bundleOf(files)),
    docker: { file: 'Dockerfile', context: '.' },
    destination: `${env.registry}/test-${RUN_ID}/svc:${deploymentId}`,
  };
}

function enqueue(data: BuildJobPayload, attempts: number): Promise<Job> {
  return queue.add(JOB_NAMES.build, data, {
    jobId: deploymentJobId('build', data.deploymentId),
    attempts,
  });
}

/** Polls until the job reaches one of `states`; returns it fresh from Redis. */
async function settled(job: Job, states: string[], timeoutMs = 60_000): Promise<Job> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const state = await queue.getJobState(job.id as string);
    if (states.includes(state)) return (await queue.getJob(job.id as string)) as Job;
    if (Date.now() > deadline)
      throw new Error(`job ${job.id} still ${state} after ${timeoutMs} ms`);
    await sleep(100);
  }
}

async function systemLines(deploymentId: string): Promise<string[]> {
  const entries = await redis.xrange(buildLogStreamKey(deploymentId), '-', '+');
  return entries
    .map(([, fields]) => ({ line: fields[1] as string, stream: fields[3] as string }))
    .filter((entry) => entry.stream === 'system')
    .map((entry) => entry.line);
}

describe('builder with the docker driver (real Redis, Engine and registry)', () => {
  let builder: Builder;

  beforeAll(async () => {
    builder = await createBuilder({ env: builderEnv(), logger: false });
  });

  afterAll(async () => {
    await builder.close();
  });

  it('completes a build job with the pushed image and digest', async () => {
    const data = await payload({
      Dockerfile: `FROM ${env.baseImage}\nCOPY index.html /www/\nCMD ["httpd","-f","-p","8080","-h","/www"]\n`,
      'index.html': '<h1>queued</h1>',
    });

    const job = await settled(await enqueue(data, 3), ['completed', 'failed']);

    expect(job.failedReason).toBeUndefined();
    const result = job.returnvalue as BuildJobResult;
    expect(result.image).toBe(data.destination);
    expect(await registryDigest(env.registry, `test-${RUN_ID}/svc`, data.deploymentId)).toBe(
      result.digest,
    );
    const lines = await systemLines(data.deploymentId);
    expect(lines[0]).toBe('build started (attempt 1 of 3, docker driver)');
    expect(lines.at(-1)).toBe(`build succeeded: ${result.image}@${result.digest}`);
  });

  it('fails a job whose RUN step fails, at once, with the step output as the reason', async () => {
    const data = await payload({
      Dockerfile: `FROM ${env.baseImage}\nRUN echo boom-output && exit 3\n`,
    });

    const job = await settled(await enqueue(data, 3), ['completed', 'failed']);

    expect(await job.getState()).toBe('failed');
    expect(job.attemptsMade).toBe(1);
    expect(job.failedReason).toMatch(/^step 2\/\d+ `RUN echo boom-output && exit 3` failed: /);
    expect(job.failedReason).toContain('\nboom-output');
    expect((await systemLines(data.deploymentId)).at(-1)).toBe(
      `build failed: ${job.failedReason.split('\n')[0]}`,
    );
  });
});

/** A driver whose behaviour each test scripts, recording the signals it was given. */
class ScriptedDriver implements BuildDriver {
  readonly kind = 'docker' as const;
  readonly signals: AbortSignal[] = [];
  script: (payload: BuildJobPayload, signal: AbortSignal, call: number) => Promise<BuildJobResult> =
    () => Promise.reject(new Error('no script'));

  build(payload: BuildJobPayload, log: BuildLogSink, signal: AbortSignal): Promise<BuildJobResult> {
    this.signals.push(signal);
    log.write('scripted build');
    return this.script(payload, signal, this.signals.length);
  }
}

const untilAborted = (signal: AbortSignal): Promise<never> =>
  new Promise((_, reject) =>
    signal.addEventListener('abort', () => reject(signal.reason as Error)),
  );

describe('builder job handling (scripted driver, real Redis)', () => {
  it('fails a build that runs past the timeout, without retrying, and aborts the driver', async () => {
    const driver = new ScriptedDriver();
    driver.script = (_payload, signal) => untilAborted(signal);
    const builder = await createBuilder({
      env: builderEnv({ SLIPWAY_BUILD_TIMEOUT_SECONDS: '1' }),
      driver,
      logger: false,
    });
    try {
      const data = await payload({ Dockerfile: 'FROM scratch\n' });
      const job = await settled(await enqueue(data, 2), ['completed', 'failed'], 30_000);

      expect(job.failedReason).toBe('build timed out after 1 s');
      expect(job.attemptsMade).toBe(1);
      expect(driver.signals).toHaveLength(1);
      expect(driver.signals[0]?.aborted).toBe(true);
      expect((await systemLines(data.deploymentId)).at(-1)).toBe(
        'build failed: build timed out after 1 s',
      );
    } finally {
      await builder.close();
    }
  });

  it('retries an infrastructure failure per the job attempts, saying so in the log', async () => {
    const driver = new ScriptedDriver();
    const digest = `sha256:${'a'.repeat(64)}`;
    driver.script = (payload, _signal, call) =>
      call === 1
        ? Promise.reject(new Error('pushing failed: registry unreachable'))
        : Promise.resolve({ image: payload.destination, digest });
    const builder = await createBuilder({ env: builderEnv(), driver, logger: false });
    try {
      const data = await payload({ Dockerfile: 'FROM scratch\n' });
      const job = await settled(await enqueue(data, 2), ['completed', 'failed'], 30_000);

      expect(job.returnvalue).toEqual({ image: data.destination, digest });
      expect(job.attemptsMade).toBe(2);
      expect(await systemLines(data.deploymentId)).toEqual([
        'build started (attempt 1 of 2, docker driver)',
        'build attempt 1 of 2 failed: pushing failed: registry unreachable; retrying',
        'build started (attempt 2 of 2, docker driver)',
        `build succeeded: ${data.destination}@${digest}`,
      ]);
    } finally {
      await builder.close();
    }
  });

  it('fails a job with an invalid payload at once, saying what is wrong', async () => {
    const builder = await createBuilder({
      env: builderEnv(),
      driver: new ScriptedDriver(),
      logger: false,
    });
    try {
      const data = { ...(await payload({ Dockerfile: 'FROM scratch\n' })), destination: 'no-tag' };
      const job = await settled(await enqueue(data, 3), ['completed', 'failed'], 30_000);

      expect(job.attemptsMade).toBe(1);
      expect(job.failedReason).toMatch(/^invalid build job payload: .*destination/);
    } finally {
      await builder.close();
    }
  });

  it('picks up a build whose worker died once its lock expires (stalled-job bound)', async () => {
    const data = await payload({ Dockerfile: 'FROM scratch\n' });
    const enqueued = await enqueue(data, 1);
    // A worker that takes the job and dies: its lock is never renewed.
    const dead = new Worker(QUEUES.build, undefined, {
      connection: redis,
      prefix: PREFIX,
      lockDuration: 1_000,
      autorun: false,
    });
    const taken = await dead.getNextJob(randomUUID());
    expect(taken?.id).toBe(enqueued.id);
    await dead.close();
    // Earlier builders in this file ran a stalled check moments ago; BullMQ skips checks for
    // a stalledInterval after one (this key). Clearing it makes the new builder check now,
    // as a builder that has been running all along would have.
    await redis.del(`${PREFIX}:${QUEUES.build}:stalled-check`);
    const driver = new ScriptedDriver();
    const digest = `sha256:${'b'.repeat(64)}`;
    driver.script = (payload) => Promise.resolve({ image: payload.destination, digest });
    const started = Date.now();
    const builder = await createBuilder({ env: builderEnv(), driver, logger: false });
    try {
      const job = await settled(enqueued, ['completed', 'failed'], STALLED_BUILD_BOUND_MS + 5_000);

      expect(job.returnvalue).toEqual({ image: data.destination, digest });
      expect(Date.now() - started).toBeLessThan(STALLED_BUILD_BOUND_MS);
    } finally {
      await builder.close();
    }
  }, 60_000);

  it('on shutdown, hands a running build back to the queue without using an attempt', async () => {
    const driver = new ScriptedDriver();
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    driver.script = (_payload, signal) => {
      started();
      return untilAborted(signal);
    };
    const builder = await createBuilder({
      env: builderEnv({ SLIPWAY_BUILDER_SHUTDOWN_GRACE_SECONDS: '0' }),
      driver,
      logger: false,
    });
    const data = await payload({ Dockerfile: 'FROM scratch\n' });
    const enqueued = await enqueue(data, 1);
    await running;

    await builder.close();

    const job = await settled(enqueued, ['waiting', 'prioritized'], 30_000);
    expect(job.attemptsMade).toBe(0);
    expect(driver.signals[0]?.aborted).toBe(true);
    expect((await systemLines(data.deploymentId)).at(-1)).toBe(
      'build interrupted: the builder is shutting down; another builder will run it again',
    );
    await job.remove();
  });
});
