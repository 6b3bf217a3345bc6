/**
 * The `docker` build driver: fetch the bundle and extract it safely, or clone the git
 * repository; build with the Engine's build API (classic builder, fed a reproducible tar of
 * the context), push, report the digest (and the commit built). The built image stays in
 * the Engine: the docker runtime on the same engine uses it.
 */
import { createReadStream } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { BuildJobPayload, BuildJobResult, BuiltCommit, GitSource } from '@slipway/contracts';
import {
  BundleRejectedError,
  type BundleLimits,
  extractBundle,
  inspectBundle,
  packDirectory,
} from '@slipway/source-bundle';
import type Docker from 'dockerode';
import { fetchBundle } from '../../bundle-fetch/fetch-bundle';
import { checkoutRepository } from '../../git/clone-repository';
import { BuildFailedError, type BuildDriver, type BuildLogSink } from '../build-driver';
import {
  type BuildContext,
  isWholeBundle,
  prepareBuildContext,
  wholeBundleContext,
} from './build-context';
import { BuildOutputTracker, followProgress } from './progress';
import { engineMessage, pushImage, type RegistryCredentials } from './push';

export interface DockerDriverOptions {
  docker: Docker;
  /** Each build gets its own directory under this one, removed when the build ends. */
  workDir: string;
  limits: BundleLimits;
  credentials?: RegistryCredentials;
  /** Extra labels on every image built (tests mark theirs to clean up). */
  labels?: Readonly<Record<string, string>>;
  /** How long cloning a git repository may take. @default 120 */
  gitTimeoutSeconds?: number;
}

const DEFAULT_GIT_TIMEOUT_SECONDS = 120;

export class DockerBuildDriver implements BuildDriver {
  readonly kind = 'docker' as const;

  constructor(private readonly options: DockerDriverOptions) {}

  async build(
    payload: BuildJobPayload,
    log: BuildLogSink,
    signal: AbortSignal,
  ): Promise<BuildJobResult> {
    await mkdir(this.options.workDir, { recursive: true });
    const jobDir = await mkdtemp(join(this.options.workDir, `${payload.deploymentId}-`));
    try {
      const { context, commit } = payload.git
        ? await this.repositoryContext(payload.git, jobDir, payload, log, signal)
        : { context: await this.bundleContext(jobDir, payload, log, signal), commit: undefined };
      signal.throwIfAborted();

      log.write(
        `building (Dockerfile '${context.dockerfilePath}', context '${context.contextPath}')`,
        'system',
      );
      await this.buildImage(context, payload, log, signal);

      log.write(`pushing ${payload.destination}`, 'system');
      const digest = await pushImage(
        this.options.docker,
        payload.destination,
        this.options.credentials,
        log,
        signal,
      );
      return { image: payload.destination, digest, ...(commit ? { commit } : {}) };
    } finally {
      await rm(jobDir, { recursive: true, force: true, maxRetries: 3 });
    }
  }

  /** Fetches the source bundle into the job directory and makes the context of it. */
  private async bundleContext(
    jobDir: string,
    payload: BuildJobPayload,
    log: BuildLogSink,
    signal: AbortSignal,
  ): Promise<BuildContext> {
    const { bundle } = payload;
    if (bundle === undefined) {
      throw new BuildFailedError(
        'the build job names no source: neither a bundle nor a git repository',
      );
    }
    log.write(`fetching source bundle (${bundle.sizeBytes} bytes)`, 'system');
    const bundleFile = join(jobDir, 'bundle.tar.gz');
    await fetchBundle(bundle, bundleFile, {
      maxBytes: this.options.limits.maxArchiveBytes,
      signal,
    });
    signal.throwIfAborted();
    return this.context(bundleFile, jobDir, payload, log);
  }

  /**
   * Clones the repository into the job directory; the checkout, held to the limits of an
   * extracted bundle, is then built exactly as one.
   */
  private async repositoryContext(
    git: GitSource,
    jobDir: string,
    payload: BuildJobPayload,
    log: BuildLogSink,
    signal: AbortSignal,
  ): Promise<{ context: BuildContext; commit: BuiltCommit }> {
    const { limits } = this.options;
    const checkoutDir = join(jobDir, 'repository');
    const { summary, ...commit } = await checkoutRepository(git, checkoutDir, {
      timeoutMs: (this.options.gitTimeoutSeconds ?? DEFAULT_GIT_TIMEOUT_SECONDS) * 1000,
      limits: { maxBytes: limits.maxExtractedBytes, maxFiles: limits.maxFiles },
      signal,
      log,
    });
    signal.throwIfAborted();
    const context = await prepareBuildContext(checkoutDir, summary, payload.docker, 'repository');
    return { context, commit };
  }

  /**
   * Checks the bundle with the same rules either way. When it is the context as it is, the
   * Engine gets the checked file (it reads gzip); otherwise it is extracted and the context
   * directory re-packed.
   */
  private async context(
    bundleFile: string,
    jobDir: string,
    payload: BuildJobPayload,
    log: BuildLogSink,
  ): Promise<BuildContext> {
    const { limits } = this.options;
    if (isWholeBundle(payload.docker.context)) {
      log.write('checking the bundle', 'system');
      const summary = await rejectedAsBuildFailure(
        inspectBundle(createReadStream(bundleFile), limits),
      );
      return wholeBundleContext(bundleFile, summary, payload.docker);
    }
    log.write('extracting', 'system');
    const bundleDir = join(jobDir, 'bundle');
    await mkdir(bundleDir);
    const summary = await rejectedAsBuildFailure(
      extractBundle(createReadStream(bundleFile), bundleDir, limits),
    );
    return prepareBuildContext(bundleDir, summary, payload.docker);
  }

  private async buildImage(
    context: BuildContext,
    payload: BuildJobPayload,
    log: BuildLogSink,
    signal: AbortSignal,
  ): Promise<void> {
    const { docker } = this.options;
    let stream: NodeJS.ReadableStream;
    try {
      const source =
        'archive' in context.send
          ? createReadStream(context.send.archive)
          : packDirectory(context.send.dir);
      stream = await docker.buildImage(source, {
        t: payload.destination,
        dockerfile: context.dockerfile,
        rm: true,
        forcerm: true,
        // No labels of our own: the classic builder adds each as an extra LABEL step
        // (~80 ms apiece). Built images are found by reference (the deployment id is the tag).
        ...(this.options.labels ? { labels: { ...this.options.labels } } : {}),
        abortSignal: signal,
      });
    } catch (error) {
      signal.throwIfAborted();
      const status = (error as { statusCode?: number }).statusCode;
      // 400 is the Engine refusing the Dockerfile itself (a parse error): the user's to fix.
      if (status === 400) {
        throw new BuildFailedError(`the Dockerfile is invalid: ${engineMessage(error)}`);
      }
      throw new Error(`the Docker Engine could not start the build: ${engineMessage(error)}`, {
        cause: error,
      });
    }

    const output = new BuildOutputTracker((line) => log.write(line, 'stdout'));
    let failure: string | undefined;
    try {
      await followProgress(docker, stream, (event) => {
        if (event.stream !== undefined) output.push(event.stream);
        if (event.error !== undefined) failure ??= event.errorDetail?.message ?? event.error;
      });
    } catch (error) {
      signal.throwIfAborted();
      throw new Error(`the Docker Engine build stream broke: ${engineMessage(error)}`, {
        cause: error,
      });
    }
    output.flush();
    if (failure !== undefined) throw new BuildFailedError(output.describeFailure(failure));
  }
}

async function rejectedAsBuildFailure<T>(check: Promise<T>): Promise<T> {
  try {
    return await check;
  } catch (error) {
    if (error instanceof BundleRejectedError) {
      throw new BuildFailedError(`the source bundle was rejected: ${error.reason}`);
    }
    throw error;
  }
}
