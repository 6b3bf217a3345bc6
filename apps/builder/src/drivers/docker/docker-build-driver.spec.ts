/**
 * The docker driver against the real Docker Engine and a real registry (see
 * scripts/setup-docker.sh). Images are labelled with this run's id and removed afterwards.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BuildJobPayload } from '@slipway/contracts';
import { DEFAULT_BUNDLE_LIMITS } from '@slipway/source-bundle';
import Docker from 'dockerode';
import {
  BundleServer,
  bundleOf,
  dockerTestEnv,
  registryDigest,
  traversalBundle,
} from '../../test-support/bundles';
import { BuildFailedError, type BuildLogSink } from '../build-driver';
import { DockerBuildDriver } from './docker-build-driver';

// Real builds, pushes and container runs: seconds each on a quiet machine, far more on a busy CI one.
jest.setTimeout(90_000);

const RUN_ID = randomUUID().slice(0, 8);
const TEST_LABEL = 'slipway.test';

let env: { baseImage: string; registry: string };
const docker = new Docker();
const server = new BundleServer();
let root: string;
let workDir: string;
let outside: string;
let driver: DockerBuildDriver;

beforeAll(async () => {
  env = dockerTestEnv();
  await server.start();
  root = await mkdtemp(join(tmpdir(), 'slipway-docker-driver-'));
  workDir = join(root, 'work');
  outside = join(root, 'outside');
  await mkdir(outside);
  await writeFile(join(outside, 'keep.txt'), 'sentinel');
  driver = new DockerBuildDriver({
    docker,
    workDir,
    limits: DEFAULT_BUNDLE_LIMITS,
    labels: { [TEST_LABEL]: RUN_ID },
  });
});

afterAll(async () => {
  await server.stop();
  const images = await docker.listImages({ filters: { label: [`${TEST_LABEL}=${RUN_ID}`] } });
  for (const image of images) await docker.getImage(image.Id).remove({ force: true });
  await rm(root, { recursive: true, force: true });
});

class RecordingLog implements BuildLogSink {
  readonly lines: { line: string; stream: string }[] = [];
  write(line: string, stream = 'stdout'): void {
    this.lines.push({ line, stream });
  }
  text(stream?: string): string {
    return this.lines
      .filter((l) => !stream || l.stream === stream)
      .map((l) => l.line)
      .join('\n');
  }
}

let counter = 0;
type Bundle = NonNullable<BuildJobPayload['bundle']>;
function payload(
  bundle: Bundle,
  docker: BuildJobPayload['docker'] = { file: 'Dockerfile', context: '.' },
): BuildJobPayload & { bundle: Bundle } {
  counter += 1;
  const deploymentId = `dep-${RUN_ID}-${counter}`;
  return {
    deploymentId,
    serviceId: `svc-${RUN_ID}`,
    projectId: 'proj',
    orgId: 'org',
    bundle,
    docker,
    destination: `${env.registry}/test-${RUN_ID}/svc:${deploymentId}`,
  };
}

async function failureOf(promise: Promise<unknown>): Promise<BuildFailedError> {
  const error: unknown = await promise.then(
    () => new Error('expected the build to fail'),
    (e: unknown) => e,
  );
  if (!(error instanceof BuildFailedError)) throw error;
  return error;
}

const signal = (): AbortSignal => new AbortController().signal;
const httpdDockerfile = (): string =>
  `FROM ${env.baseImage}\nCOPY index.html /www/\nCMD ["httpd","-f","-p","8080","-h","/www"]\n`;

describe('DockerBuildDriver (real Docker Engine and registry)', () => {
  it('builds a context, pushes it, and returns the digest the registry serves', async () => {
    const job = payload(
      server.serve(
        await bundleOf({ Dockerfile: httpdDockerfile(), 'index.html': '<h1>hello</h1>' }),
      ),
    );
    const log = new RecordingLog();

    const result = await driver.build(job, log, signal());

    const tag = job.destination.split(':').at(-1) as string;
    expect(result.image).toBe(job.destination);
    expect(result.digest).toMatch(/^sha256:[a-f0-9]{64}$/);
    expect(await registryDigest(env.registry, `test-${RUN_ID}/svc`, tag)).toBe(result.digest);
    const image = await docker.getImage(job.destination).inspect();
    expect(image.Config.Cmd).toEqual(['httpd', '-f', '-p', '8080', '-h', '/www']);
    expect(log.text('system').split('\n')).toEqual([
      `fetching source bundle (${job.bundle.sizeBytes} bytes)`,
      'checking the bundle',
      "building (Dockerfile 'Dockerfile', context '.')",
      `pushing ${job.destination}`,
    ]);
    expect(log.text('stdout')).toMatch(/^Step 1\/\d+ : FROM /m);
    expect(log.text('stdout')).toContain(`${tag}: digest: ${result.digest}`);
    expect(server.requests.at(-1)?.authorization).toBe(`Bearer ${job.bundle.token}`);
    expect(await readdir(workDir)).toEqual([]);
  });

  it('builds with a Dockerfile that lies outside the context directory', async () => {
    const job = payload(
      server.serve(
        await bundleOf({
          'docker/web.Dockerfile': httpdDockerfile(),
          'site/index.html': '<h1>from site/</h1>',
        }),
      ),
      { file: 'docker/web.Dockerfile', context: 'site' },
    );

    const result = await driver.build(job, new RecordingLog(), signal());

    expect(result.digest).toMatch(/^sha256:/);
    const container = await docker.createContainer({
      Image: job.destination,
      Cmd: ['cat', '/www/index.html'],
      Labels: { [TEST_LABEL]: RUN_ID },
    });
    try {
      await container.start();
      await container.wait();
      const logs = await container.logs({ stdout: true });
      expect(logs.toString()).toContain('<h1>from site/</h1>');
    } finally {
      await container.remove({ force: true });
    }
  });

  it('fails naming the Dockerfile path when it is not in the bundle', async () => {
    const job = payload(server.serve(await bundleOf({ Dockerfile: httpdDockerfile() })), {
      file: 'docker/Dockerfile',
      context: '.',
    });

    const error = await failureOf(driver.build(job, new RecordingLog(), signal()));

    expect(error.reason).toBe(
      "Dockerfile 'docker/Dockerfile' not found in the source bundle (docker.file); files that look like one: Dockerfile",
    );
    expect(await readdir(workDir)).toEqual([]);
  });

  it('fails with the failing step and its output when a RUN step fails', async () => {
    const job = payload(
      server.serve(
        await bundleOf({
          Dockerfile: `FROM ${env.baseImage}\nRUN echo boom-output && exit 3\n`,
        }),
      ),
    );
    const log = new RecordingLog();

    const error = await failureOf(driver.build(job, log, signal()));

    expect(error.reason).toMatch(
      /^step 2\/\d+ `RUN echo boom-output && exit 3` failed: The command '\/bin\/sh -c echo boom-output && exit 3' returned a non-zero code: 3\nlast output:\n/,
    );
    expect(error.reason).toContain('\nboom-output');
    expect(log.text('stdout')).toContain('boom-output');
    expect(await readdir(workDir)).toEqual([]);
  });

  it('fails with the parse error when the Dockerfile is invalid', async () => {
    const job = payload(server.serve(await bundleOf({ Dockerfile: 'FORM scratch\n' })));

    const error = await failureOf(driver.build(job, new RecordingLog(), signal()));

    expect(error.reason).toBe(
      'the Dockerfile is invalid: dockerfile parse error line 1: unknown instruction: FORM',
    );
  });

  it('rejects a malicious bundle without writing anything outside the work dir', async () => {
    const job = payload(server.serve(traversalBundle('../../outside/pwned')));

    const error = await failureOf(driver.build(job, new RecordingLog(), signal()));

    expect(error.reason).toBe(
      "the source bundle was rejected: entry '../../outside/pwned' leaves the bundle (paths must stay inside it)",
    );
    expect((await readdir(root)).sort()).toEqual(['outside', 'work']);
    expect(await readdir(outside)).toEqual(['keep.txt']);
    expect(await readFile(join(outside, 'keep.txt'), 'utf8')).toBe('sentinel');
    expect(await readdir(workDir)).toEqual([]);
  });

  it('fails when docker.context is not a directory in the bundle', async () => {
    const job = payload(server.serve(await bundleOf({ Dockerfile: httpdDockerfile() })), {
      file: 'Dockerfile',
      context: 'app',
    });
    const error = await failureOf(driver.build(job, new RecordingLog(), signal()));
    expect(error.reason).toBe(
      "build context 'app' not found in the source bundle (docker.context)",
    );
  });

  it('stops promptly when aborted mid-build', async () => {
    const job = payload(
      server.serve(
        await bundleOf({ Dockerfile: `FROM ${env.baseImage}\nRUN echo started && sleep 60\n` }),
      ),
    );
    const controller = new AbortController();
    const log = new RecordingLog();
    const logged = log.write.bind(log);
    let abortedAt = Number.NaN;
    log.write = (line, stream) => {
      logged(line, stream);
      if (line === 'started') {
        abortedAt = Date.now();
        controller.abort(new Error('build timed out after 1 s'));
      }
    };

    await expect(driver.build(job, log, controller.signal)).rejects.toThrow(
      'build timed out after 1 s',
    );
    // Timed from the abort, not from the start of the build (a busy engine may take a while
    // to get there): well under the 60 s the RUN step would take, with room for a loaded host.
    expect(Date.now() - abortedAt).toBeLessThan(30_000);
    expect(await readdir(workDir)).toEqual([]);
  });
});
