/**
 * The `kaniko` build driver: runs each build as a Kubernetes Job rendered by
 * @slipway/k8s-spec (server-side apply, field manager `slipway`), follows its log into the
 * build log, and reads the pushed digest from the kaniko container's termination message.
 */
import type { KubeConfig } from '@kubernetes/client-node';
import type { BuildJobPayload, BuildJobResult } from '@slipway/contracts';
import {
  DEFAULT_BUILD_NAMESPACE,
  buildJobName,
  renderBuildJob,
  renderBuildNamespace,
  type BuildOptions,
  type BuildSpec,
} from '@slipway/k8s-spec';
import {
  createKubeApis,
  deleteAndWait,
  deleteObject,
  describeObject,
  kubernetesApiError,
  refOf,
  statusOf,
  type KubeApis,
  type ObjectRef,
  type RenderedObject,
} from '@slipway/kube-client';
import { BuildFailedError, type BuildDriver, type BuildLogSink } from '../build-driver';
import { BuildCancelled, KanikoBuildRun, buildCancelled } from './kaniko-build-run';
import { LogLines } from './log-lines';

export interface KanikoDriverOptions {
  readonly kubeConfig: KubeConfig;
  /** The Job's settings: registry Secret, namespace, executor image, deadline, ... */
  readonly build: BuildOptions;
  /** How often the Job and its pod are read. @default 2000 */
  readonly pollIntervalMs?: number;
  /** Bound on every API request (the log stream excepted). @default 30000 */
  readonly requestTimeoutMs?: number;
}

/** Why a git build fails here: the Job downloads a bundle, and only the docker driver clones. */
export const GIT_NEEDS_DOCKER_DRIVER =
  'deploying from a git repository needs the docker build driver (SLIPWAY_BUILD_DRIVER=docker); the kaniko driver builds uploaded source bundles';

/** Log lines quoted in a failure reason. */
const REASON_LINES = 20;
/** How long a previous attempt's Job and Secret may take to go away before this one starts. */
const LEFTOVER_TIMEOUT_MS = 120_000;

interface Target {
  readonly namespace: string;
  readonly name: string;
}

const JOB = { apiVersion: 'batch/v1', kind: 'Job' } as const;
const SECRET = { apiVersion: 'v1', kind: 'Secret' } as const;

export class KanikoBuildDriver implements BuildDriver {
  readonly kind = 'kaniko' as const;
  private readonly apis: KubeApis;
  private readonly pollIntervalMs: number;
  private namespaceApplied: Promise<void> | undefined;

  constructor(private readonly options: KanikoDriverOptions) {
    this.pollIntervalMs = options.pollIntervalMs ?? 2000;
    this.apis = createKubeApis(options.kubeConfig, {
      caller: 'builder',
      requestTimeoutMs: options.requestTimeoutMs ?? 30_000,
    });
  }

  async build(
    payload: BuildJobPayload,
    log: BuildLogSink,
    signal: AbortSignal,
  ): Promise<BuildJobResult> {
    if (signal.aborted) throw new Error('build cancelled');
    const [secret, job] = renderBuildJob(bundleBuild(payload), this.options.build);
    const target: Target = {
      namespace: this.options.build.namespace ?? DEFAULT_BUILD_NAMESPACE,
      name: buildJobName(payload),
    };
    try {
      await this.ensureNamespace();
      await this.applyBuild(secret, job, target, log, signal);
      log.write(`build job ${target.namespace}/${target.name} started`, 'system');
      const digest = await new KanikoBuildRun({
        apis: this.apis,
        kubeConfig: this.options.kubeConfig,
        namespace: target.namespace,
        jobName: target.name,
        payload,
        lines: new LogLines(log, REASON_LINES),
        signal,
        pollIntervalMs: this.pollIntervalMs,
      }).result();
      return { image: payload.destination, digest };
    } catch (error) {
      if (error instanceof BuildCancelled || signal.aborted) {
        await this.deleteQuietly({ ...JOB, ...target }, log);
        throw new Error('build cancelled');
      }
      // A failed build's Job is finished (its TTL removes it); any other error may leave
      // one running until its deadline, holding a node's resources for nothing.
      if (!(error instanceof BuildFailedError))
        await this.deleteQuietly({ ...JOB, ...target }, log);
      throw error;
    } finally {
      // The one-time token is spent either way; the Job itself has a TTL.
      await this.deleteQuietly({ ...SECRET, ...target }, log);
    }
  }

  /** The build namespace, applied once per process (again after a failure). */
  private ensureNamespace(): Promise<void> {
    this.namespaceApplied ??= this.apply(renderBuildNamespace(this.options.build)).catch(
      (error: unknown) => {
        this.namespaceApplied = undefined;
        throw error;
      },
    );
    return this.namespaceApplied;
  }

  /**
   * Secret, then Job. Both are immutable, so a Job and Secret left by an earlier attempt
   * at the same build (a retried job) make the apply fail with 409/422: replace them.
   */
  private async applyBuild(
    secret: RenderedObject,
    job: RenderedObject,
    target: Target,
    log: BuildLogSink,
    signal: AbortSignal,
  ): Promise<void> {
    try {
      await this.apply(secret);
      await this.apply(job);
    } catch (error) {
      const status = statusOf(error);
      if (status !== 409 && status !== 422) throw error;
      log.write(`replacing build job ${target.name} left by an earlier attempt`, 'system');
      const waiting = {
        signal,
        cancelled: buildCancelled,
        pollIntervalMs: this.pollIntervalMs,
        timeoutMs: LEFTOVER_TIMEOUT_MS,
      };
      await deleteAndWait(this.apis, { ...JOB, ...target }, waiting);
      await deleteAndWait(this.apis, { ...SECRET, ...target }, waiting);
      await this.apply(secret);
      await this.apply(job);
    }
  }

  private async apply(object: RenderedObject): Promise<void> {
    try {
      await this.apis.objects.apply(object, 'slipway');
    } catch (error) {
      throw kubernetesApiError(error, `apply ${describeObject(refOf(object))}`, this.apis.options);
    }
  }

  /** Cleanup must not hide the build's outcome: a failure is noted in the build log instead. */
  private async deleteQuietly(ref: ObjectRef, log: BuildLogSink): Promise<void> {
    try {
      await deleteObject(this.apis, ref, 'Background');
    } catch (error) {
      log.write(
        `could not delete ${ref.kind} ${ref.name}: ${error instanceof Error ? error.message : String(error)}`,
        'system',
      );
    }
  }
}

/** The payload as the Job takes it; a git source (or no bundle) fails the build at once. */
function bundleBuild(payload: BuildJobPayload): BuildSpec {
  const { bundle } = payload;
  if (payload.git !== undefined || bundle === undefined) {
    throw new BuildFailedError(GIT_NEEDS_DOCKER_DRIVER);
  }
  return { ...payload, bundle };
}
