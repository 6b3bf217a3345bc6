/**
 * One Kaniko build after its Job is created: polls the Job and its pod, follows the
 * kaniko container's log into the build log, and turns the ending into a digest or a
 * reason (a failing step, a missing Dockerfile, a failed download, the deadline).
 */
import { Log, type KubeConfig, type V1Job, type V1Pod } from '@kubernetes/client-node';
import type { BuildJobPayload } from '@slipway/contracts';
import { pollOnce, sleepUnlessAborted, type KubeApis } from '@slipway/kube-client';
import { BuildFailedError } from '../build-driver';
import {
  FETCH_CONTAINER,
  KANIKO_CONTAINER,
  buildProgress,
  kanikoStarted,
  latestPod,
  type BuildProgress,
} from './build-pod';
import type { LogLines } from './log-lines';

/** How long to wait for the log stream to deliver its last lines once the container ended. */
const LOG_DRAIN_MS = 5000;
const DIGEST = /^sha256:[a-f0-9]{64}$/;

/** The signal aborted; the driver deletes the Job and reports the cancellation. */
export class BuildCancelled extends Error {
  constructor() {
    super('build cancelled');
    this.name = 'BuildCancelled';
  }
}

export interface BuildRunOptions {
  readonly apis: KubeApis;
  readonly kubeConfig: KubeConfig;
  readonly namespace: string;
  readonly jobName: string;
  readonly payload: BuildJobPayload;
  readonly lines: LogLines;
  readonly signal: AbortSignal;
  readonly pollIntervalMs: number;
}

interface LogFollow {
  /** Waits (briefly) for the stream to deliver everything, then closes it. */
  drain(): Promise<void>;
  stop(): void;
}

export class KanikoBuildRun {
  private follow: LogFollow | undefined;

  constructor(private readonly options: BuildRunOptions) {}

  /** Resolves with the pushed digest; throws BuildFailedError, BuildCancelled or an Error. */
  async result(): Promise<string> {
    try {
      for (;;) {
        if (this.options.signal.aborted) throw new BuildCancelled();
        const observed = await this.observe();
        if (observed !== undefined) {
          const digest = await this.settle(
            observed.job,
            observed.pod,
            buildProgress(observed.job, observed.pod),
          );
          if (digest !== undefined) return digest;
        }
        await sleepUnlessAborted(this.options.pollIntervalMs, this.options.signal, buildCancelled);
      }
    } finally {
      this.follow?.stop();
    }
  }

  /** The Job and its pod, or undefined after a transient API error (look again next tick). */
  private async observe(): Promise<{ job: V1Job; pod: V1Pod | undefined } | undefined> {
    const { apis, namespace, jobName } = this.options;
    const read = async (): Promise<{ job: V1Job; pod: V1Pod | undefined }> => {
      const job = await apis.batch.readNamespacedJob({ namespace, name: jobName });
      const pods = await apis.core.listNamespacedPod({
        namespace,
        labelSelector: `job-name=${jobName}`,
      });
      return { job, pod: latestPod(pods.items) };
    };
    return pollOnce(apis, read, {
      signal: this.options.signal,
      cancelled: buildCancelled,
      action: `read build job ${namespace}/${jobName}`,
    });
  }

  /** Acts on what was observed: the digest when done, undefined to keep waiting. */
  private async settle(
    job: V1Job,
    pod: V1Pod | undefined,
    progress: BuildProgress,
  ): Promise<string | undefined> {
    const podName = pod?.metadata?.name ?? '';
    if (this.follow === undefined && kanikoStarted(pod)) {
      this.follow = await this.followLog(podName);
    }
    switch (progress.phase) {
      case 'pending':
      case 'building':
        return undefined;
      case 'succeeded':
        await this.follow?.drain();
        return parseDigest(progress.terminationMessage);
      case 'build-failed':
        await this.follow?.drain();
        if (killedAtDeadline(job, progress.exitCode)) throw this.timedOut(job, undefined);
        throw new BuildFailedError(this.failure(progress.exitCode, progress.reason));
      case 'fetch-failed':
        throw new BuildFailedError(await this.fetchFailure(podName, progress.exitCode));
      case 'timed-out':
        await this.follow?.drain();
        throw this.timedOut(job, kanikoStarted(pod) ? undefined : progress.detail);
      case 'broken':
        // A wrong executor image or registry Secret, a vanished pod: the operator's problem.
        throw new Error(progress.detail);
    }
  }

  private failure(exitCode: number, reason: string | undefined): string {
    const tail = this.options.lines.tail();
    const { file, context } = this.options.payload.docker;
    const head = tail.some((line) => /error resolving dockerfile path/i.test(line))
      ? `Dockerfile not found: ${file} (build context ${context})`
      : `the build failed: kaniko exited with code ${exitCode}${reason ? ` (${reason})` : ''}`;
    return tail.length === 0 ? head : `${head}\n${tail.join('\n')}`;
  }

  private timedOut(job: V1Job, neverStarted: string | undefined): BuildFailedError {
    const seconds = job.spec?.activeDeadlineSeconds;
    const head = `build timed out${seconds === undefined ? '' : ` after ${seconds}s`}`;
    const detail = neverStarted ?? this.options.lines.tail().join('\n');
    return new BuildFailedError(detail === '' ? head : `${head}\n${detail}`);
  }

  /** The download's own words (curl's error), also into the build log. */
  private async fetchFailure(podName: string, exitCode: number): Promise<string> {
    const { apis, namespace, lines } = this.options;
    let output = '';
    try {
      output = await apis.core.readNamespacedPodLog({
        namespace,
        name: podName,
        container: FETCH_CONTAINER,
        tailLines: 20,
      });
    } catch {
      // The exit code below still says what happened.
    }
    const printed = output
      .split('\n')
      .map((line) => line.trimEnd())
      .filter(Boolean);
    printed.forEach((line) => lines.line(line));
    return `could not download the source bundle: ${printed.length > 0 ? printed.join('\n') : `the download exited with code ${exitCode}`}`;
  }

  /** Follows the kaniko container's log; undefined when it cannot be read yet (next tick). */
  private async followLog(podName: string): Promise<LogFollow | undefined> {
    const { kubeConfig, namespace, lines } = this.options;
    const target = lines.writable();
    const ended = new Promise<void>((resolve) => target.once('finish', resolve));
    // client-node pipes the body into `target` but ignores the body's errors: end it there.
    target.on('pipe', (source: NodeJS.ReadableStream) => source.on('error', () => target.end()));
    let request: AbortController;
    try {
      request = await new Log(kubeConfig).log(namespace, podName, KANIKO_CONTAINER, target, {
        follow: true,
        timestamps: false,
      });
    } catch {
      return undefined;
    }
    const stop = (): void => {
      request.abort();
      if (!target.writableEnded) target.end();
    };
    return {
      drain: async () => {
        await withinMs(ended, LOG_DRAIN_MS);
        stop();
        await ended;
      },
      stop,
    };
  }
}

export function parseDigest(terminationMessage: string): string {
  const digest = terminationMessage.trim();
  if (!DIGEST.test(digest)) {
    throw new Error(
      `kaniko finished without a valid image digest in its termination message (got "${digest.slice(0, 100)}")`,
    );
  }
  return digest;
}

/**
 * Killed by the Job's deadline rather than failed by a step: the container died of a
 * signal once the deadline had passed (the Job's Failed condition may not be there yet).
 */
function killedAtDeadline(job: V1Job, exitCode: number): boolean {
  const started = job.status?.startTime;
  const seconds = job.spec?.activeDeadlineSeconds;
  if (exitCode < 128 || started === undefined || seconds === undefined) return false;
  return new Date(started).getTime() + seconds * 1000 <= Date.now();
}

/** Waits for `promise` at most `ms`, leaving no timer behind. */
async function withinMs(promise: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)));
  try {
    await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The error a cancelled build ends in, for helpers that take a factory. */
export function buildCancelled(): BuildCancelled {
  return new BuildCancelled();
}
