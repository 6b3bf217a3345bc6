/**
 * Building from a git repository, end to end: a real BullMQ queue on the real Redis (a
 * unique prefix per run), the docker driver cloning from a real git smart-HTTP server
 * (@slipway/api-testing), the real Engine and registry, and a stand-in for the API's
 * credentials endpoint.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { type GitServer, startGitServer } from '@slipway/api-testing';
import {
  type BuildJobPayload,
  type BuildJobResult,
  buildLogStreamKey,
  deploymentJobId,
  type GitSource,
  JOB_NAMES,
  QUEUES,
} from '@slipway/contracts';
import { type Job, Queue } from 'bullmq';
import Docker from 'dockerode';
import Redis from 'ioredis';
import { type Builder, createBuilder } from '../src/builder';
import { dockerTestEnv, registryDigest } from '../src/test-support/bundles';
import { CredentialsServer } from '../src/test-support/credentials-server';

// Clones, real builds and pushes through the queue; `settled` bounds each wait itself.
jest.setTimeout(90_000);

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const RUN_ID = randomUUID().slice(0, 8);
const PREFIX = `slipway-test-${RUN_ID}`;
const TOKEN = 'glpat-slipway-git-build-token-0042';

let env: { baseImage: string; registry: string };
let redis: Redis;
let queue: Queue;
let workDir: string;
let publicGit: GitServer;
let privateGit: GitServer;
let builder: Builder;
const credentials = new CredentialsServer();
const docker = new Docker();
const deployments: string[] = [];

beforeAll(async () => {
  env = dockerTestEnv();
  redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  queue = new Queue(QUEUES.build, { connection: redis, prefix: PREFIX });
  workDir = await mkdtemp(join(tmpdir(), 'slipway-git-build-'));
  [publicGit, privateGit] = await Promise.all([
    startGitServer(),
    startGitServer({ auth: { username: 'oauth2', password: TOKEN } }),
    credentials.start(),
  ]);
  builder = await createBuilder({
    env: {
      REDIS_URL,
      SLIPWAY_QUEUE_PREFIX: PREFIX,
      SLIPWAY_BUILDER_WORK_DIR: workDir,
      SLIPWAY_BUILDER_CONCURRENCY: '2',
      SLIPWAY_BUILDER_GIT_TIMEOUT_SECONDS: '60',
    },
    logger: false,
  });
});

afterAll(async () => {
  await builder.close();
  await Promise.all([publicGit.close(), privateGit.close(), credentials.stop()]);
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

function payload(git: GitSource): BuildJobPayload {
  const deploymentId = `dep-${RUN_ID}-${deployments.length + 1}`;
  deployments.push(deploymentId);
  return {
    deploymentId,
    serviceId: `svc-${RUN_ID}`,
    projectId: 'proj',
    orgId: 'org',
    git,
    docker: { file: 'Dockerfile', context: '.' },
    destination: `${env.registry}/test-${RUN_ID}/svc:${deploymentId}`,
  };
}

function enqueue(data: BuildJobPayload): Promise<Job> {
  return queue.add(JOB_NAMES.build, data, {
    jobId: deploymentJobId('build', data.deploymentId),
    attempts: 3,
  });
}

/** Polls until the job completed or failed; returns it fresh from Redis. */
async function settled(job: Job, timeoutMs = 75_000): Promise<Job> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const state = await queue.getJobState(job.id as string);
    if (state === 'completed' || state === 'failed') {
      return (await queue.getJob(job.id as string)) as Job;
    }
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

const siteDockerfile = (): string =>
  `FROM ${env.baseImage}\nCOPY index.html /www/\nCMD ["httpd","-f","-p","8080","-h","/www"]\n`;

describe('building from a git repository (real Redis, git server, Engine and registry)', () => {
  it('clones the branch, builds and pushes it, and returns the commit built', async () => {
    await publicGit.createRepo('site', {
      Dockerfile: siteDockerfile(),
      'index.html': '<h1>from git</h1>',
    });
    const sha = await publicGit.push('site', { 'index.html': '<h1>v2</h1>' }, 'Ship v2');
    const url = publicGit.url('site');
    const data = payload({ url, branch: 'main' });

    const job = await settled(await enqueue(data));

    expect(job.failedReason).toBeUndefined();
    const result = job.returnvalue as BuildJobResult;
    expect(result).toEqual({
      image: data.destination,
      digest: expect.stringMatching(/^sha256:[a-f0-9]{64}$/),
      commit: { sha, message: 'Ship v2' },
    });
    expect(await registryDigest(env.registry, `test-${RUN_ID}/svc`, data.deploymentId)).toBe(
      result.digest,
    );
    expect(await systemLines(data.deploymentId)).toEqual([
      'build started (attempt 1 of 3, docker driver)',
      `cloning ${url} (branch main)`,
      `checked out ${sha.slice(0, 7)} Ship v2`,
      "building (Dockerfile 'Dockerfile', context '.')",
      `pushing ${data.destination}`,
      `build succeeded: ${result.image}@${result.digest}`,
    ]);
    expect(await readdir(workDir)).toEqual([]);
  });

  it("clones a private repository with the credentials fetched from the API's endpoint", async () => {
    await privateGit.createRepo('private-site', {
      Dockerfile: siteDockerfile(),
      'index.html': '<h1>private</h1>',
    });
    const endpoint = credentials.serve({ username: 'oauth2', password: TOKEN });
    const data = payload({
      url: privateGit.url('private-site'),
      branch: 'main',
      credentials: endpoint,
    });

    const job = await settled(await enqueue(data));

    expect(job.failedReason).toBeUndefined();
    expect((job.returnvalue as BuildJobResult).commit?.message).toBe('initial commit');
    expect(credentials.requests.at(-1)?.authorization).toBe(`Bearer ${endpoint.token}`);
    const lines = await systemLines(data.deploymentId);
    expect(lines[1]).toBe("fetching the repository's credentials");
    expect(lines.join('\n')).not.toContain(TOKEN);
  });

  it('fails at once with the usual message when the repository has no Dockerfile', async () => {
    await publicGit.createRepo('no-dockerfile', {
      'docker/web.Dockerfile': siteDockerfile(),
      'index.html': '<h1>x</h1>',
    });
    const data = payload({ url: publicGit.url('no-dockerfile'), branch: 'main' });

    const job = await settled(await enqueue(data));

    expect(job.attemptsMade).toBe(1);
    expect(job.failedReason).toBe(
      "Dockerfile 'Dockerfile' not found in the repository (docker.file); files that look like one: docker/web.Dockerfile",
    );
  });

  it('fails at once when the API will not give the credentials', async () => {
    const data = payload({
      url: privateGit.url('private-site'),
      branch: 'main',
      credentials: credentials.serve({ status: 404 }),
    });

    const job = await settled(await enqueue(data));

    expect(job.attemptsMade).toBe(1);
    expect(job.failedReason).toBe(
      "the repository's credentials could not be fetched: the API answered 404 Not Found",
    );
  });

  it('fails at once, naming the branch, when it does not exist', async () => {
    const url = publicGit.url('site');
    const job = await settled(await enqueue(payload({ url, branch: 'nope' })));

    expect(job.attemptsMade).toBe(1);
    expect(job.failedReason).toBe(`branch 'nope' not found in ${url}`);
  });
});
