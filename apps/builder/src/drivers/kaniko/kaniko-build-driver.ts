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
} from '@slipway/k8s-spec';
import { BuildFailedError, type BuildDriver, type BuildLogSink } from '../build-driver';
import { BuildCancelled, KanikoBuildRun } from './kaniko-build-run';
import { createKubeApis, type KubeApis, type RenderedObject } from './kube-api';
import { isNotFound, kubernetesError, statusOf } from './kube-errors';
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

/** Log lines quoted in a failure reason. */
const REASON_LINES = 20;
/** How long a previous attempt's Job and Secret may take to go away before this one starts. */
const LEFTOVER_TIMEOUT_MS = 120_000;

interface Target {
  readonly namespace: string;
  readonly name: string;
}

export class KanikoBuildDriver implements BuildDriver {
  readonly kind = 'kaniko' as const;
  private readonly apis: KubeApis;
  private readonly pollIntervalMs: number;
  private readonly requestTimeoutMs: number;
  private namespaceApplied: Promise<void> | undefined;

  constructor(private readonly options: KanikoDriverOptions) {
    this.pollIntervalMs = options.pollIntervalMs ?? 2000;
    this.requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
    this.apis = createKubeApis(options.kubeConfig, this.requestTimeoutMs);
  }

  async build(
    payload: BuildJobPayload,
    log: BuildLogSink,
    signal: AbortSignal,
  ): Promise<BuildJobResult> {
    if (signal.aborted) throw new Error('build cancelled');
    const [secret, job] = renderBuildJob(payload, this.options.build);
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
        requestTimeoutMs: this.requestTimeoutMs,
      }).result();
      return { image: payload.destination, digest };
    } catch (error) {
      if (error instanceof BuildCancelled || signal.aborted) {
        await this.deleteQuietly({ ...target, kind: 'Job', apiVersion: 'batch/v1' }, log);
        throw new Error('build cancelled');
      }
      // A failed build's Job is finished (its TTL removes it); any other error may leave
      // one running until its deadline, holding a node's resources for nothing.
      if (!(error instanceof BuildFailedError)) {
        await this.deleteQuietly({ ...target, kind: 'Job', apiVersion: 'batch/v1' }, log);
      }
      throw error;
    } finally {
      // The one-time token is spent either way; the Job itself has a TTL.
      await this.deleteQuietly({ ...target, kind: 'Secret', apiVersion: 'v1' }, log);
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
      const status = statusOf(error instanceof Error ? error.cause : undefined);
      if (status !== 409 && status !== 422) throw error;
      log.write(`replacing build job ${target.name} left by an earlier attempt`, 'system');
      await this.deleteAndWait({ ...target, kind: 'Job', apiVersion: 'batch/v1' }, signal);
      await this.deleteAndWait({ ...target, kind: 'Secret', apiVersion: 'v1' }, signal);
      await this.apply(secret);
      await this.apply(job);
    }
  }

  private async apply(object: RenderedObject): Promise<void> {
    try {
      await this.apis.objects.apply(object, 'slipway');
    } catch (error) {
      const what = `apply ${object.kind} ${object.metadata?.namespace ?? ''}/${object.metadata?.name ?? ''}`;
      throw kubernetesError(error, what, this.requestTimeoutMs);
    }
  }

  private async deleteAndWait(
    ref: Target & { kind: string; apiVersion: string },
    signal: AbortSignal,
  ): Promise<void> {
    await this.delete(ref, 'Foreground');
    const header = {
      apiVersion: ref.apiVersion,
      kind: ref.kind,
      metadata: { name: ref.name, namespace: ref.namespace },
    };
    const deadline = Date.now() + LEFTOVER_TIMEOUT_MS;
    for (;;) {
      if (signal.aborted) throw new BuildCancelled();
      try {
        await this.apis.objects.read(header);
      } catch (error) {
        if (isNotFound(error)) return;
        throw kubernetesError(error, `read ${ref.kind} ${ref.name}`, this.requestTimeoutMs);
      }
      if (Date.now() > deadline)
        throw new Error(
          `${ref.kind} ${ref.namespace}/${ref.name} of an earlier attempt is still being deleted`,
        );
      await new Promise((resolve) => setTimeout(resolve, this.pollIntervalMs));
    }
  }

  private async delete(
    ref: Target & { kind: string; apiVersion: string },
    propagation: 'Background' | 'Foreground',
  ): Promise<void> {
    try {
      await this.apis.objects.delete(
        {
          apiVersion: ref.apiVersion,
          kind: ref.kind,
          metadata: { name: ref.name, namespace: ref.namespace },
        },
        undefined,
        undefined,
        undefined,
        undefined,
        propagation,
      );
    } catch (error) {
      if (isNotFound(error)) return;
      throw kubernetesError(
        error,
        `delete ${ref.kind} ${ref.namespace}/${ref.name}`,
        this.requestTimeoutMs,
      );
    }
  }

  /** Cleanup must not hide the build's outcome: a failure is noted in the build log instead. */
  private async deleteQuietly(
    ref: Target & { kind: string; apiVersion: string },
    log: BuildLogSink,
  ): Promise<void> {
    try {
      await this.delete(ref, 'Background');
    } catch (error) {
      log.write(
        `could not delete ${ref.kind} ${ref.name}: ${error instanceof Error ? error.message : String(error)}`,
        'system',
      );
    }
  }
}
