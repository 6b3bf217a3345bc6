/**
 * Runs one build job: validates the payload, hands it to the driver with a log and an
 * abort signal (the build timeout, or shutdown), and turns the outcome into what BullMQ
 * understands: a result, an UnrecoverableError (the user's fault, or a timeout: no retry),
 * a plain Error (infrastructure: retried per the job's attempts), or a hand-back to the
 * queue when the builder shuts down mid-build.
 */
import {
  type BuildJobPayload,
  BuildJobPayloadSchema,
  type BuildJobResult,
  BuildJobResultSchema,
  JOB_NAMES,
  QUEUES,
} from '@slipway/contracts';
import { type Job, UnrecoverableError, WaitingError } from 'bullmq';
import { z } from 'zod';
import { BuildFailedError, type BuildDriver } from '../drivers/build-driver';
import type { BuildLog } from '../logs/build-log-sink';

export interface BuildJobRunnerOptions {
  driver: BuildDriver;
  openLog: (deploymentId: string) => BuildLog;
  timeoutSeconds: number;
  /** How long an interrupted driver may take to clean up before the job is handed back. */
  cleanupGraceMs?: number;
}

class BuildTimeout extends Error {
  constructor(readonly seconds: number) {
    super(`build timed out after ${seconds} s`);
  }
}

class ShutdownInterruption extends Error {
  constructor() {
    super('build interrupted: the builder is shutting down');
  }
}

interface Failure {
  message: string;
  /** Retrying cannot help: fail the job now, whatever its attempts. */
  final: boolean;
}

export class BuildJobRunner {
  private readonly running = new Set<AbortController>();

  constructor(private readonly options: BuildJobRunnerOptions) {}

  async run(job: Job<unknown, BuildJobResult>, token?: string): Promise<BuildJobResult> {
    const payload = parsePayload(job);
    const { driver, timeoutSeconds } = this.options;
    const log = this.options.openLog(payload.deploymentId);
    const controller = new AbortController();
    const timer = setTimeout(
      () => controller.abort(new BuildTimeout(timeoutSeconds)),
      timeoutSeconds * 1000,
    );
    this.running.add(controller);
    const attempt = job.attemptsMade + 1;
    const attempts = Math.max(job.opts.attempts ?? 1, 1);
    let build: Promise<BuildJobResult> | undefined;
    try {
      log.system(`build started (attempt ${attempt} of ${attempts}, ${driver.kind} driver)`);
      build = driver.build(payload, log, controller.signal);
      const result = BuildJobResultSchema.parse(await untilAborted(build, controller.signal));
      log.system(`build succeeded: ${result.image}@${result.digest}`);
      return result;
    } catch (error) {
      if (build && controller.signal.aborted) {
        await settle(build, this.options.cleanupGraceMs ?? 10_000);
      }
      if (controller.signal.reason instanceof ShutdownInterruption) {
        log.system(`${controller.signal.reason.message}; another builder will run it again`);
        await job.moveToWait(token);
        throw new WaitingError();
      }
      const failure = describeFailure(error, controller.signal);
      // One log line: a step's output, which a reason may carry, is already in the log.
      const summary = failure.message.split('\n')[0] ?? '';
      if (failure.final || attempt >= attempts) {
        log.system(`build failed: ${summary}`);
      } else {
        log.system(`build attempt ${attempt} of ${attempts} failed: ${summary}; retrying`);
      }
      throw failure.final ? new UnrecoverableError(failure.message) : new Error(failure.message);
    } finally {
      clearTimeout(timer);
      this.running.delete(controller);
      await log.close();
    }
  }

  /** Stops every running build; each goes back to the queue for another builder. */
  interruptAll(): void {
    for (const controller of this.running) controller.abort(new ShutdownInterruption());
  }

  get activeBuilds(): number {
    return this.running.size;
  }
}

function parsePayload(job: Job<unknown, BuildJobResult>): BuildJobPayload {
  if (job.name !== JOB_NAMES.build) {
    throw new UnrecoverableError(`unknown job '${job.name}' on queue ${QUEUES.build}`);
  }
  const parsed = BuildJobPayloadSchema.safeParse(job.data);
  if (!parsed.success) {
    throw new UnrecoverableError(
      `invalid build job payload: ${z.prettifyError(parsed.error).replaceAll('\n', '; ')}`,
    );
  }
  return parsed.data;
}

function describeFailure(error: unknown, signal: AbortSignal): Failure {
  if (signal.reason instanceof BuildTimeout) return { message: signal.reason.message, final: true };
  if (error instanceof BuildFailedError) return { message: error.reason, final: true };
  if (error instanceof z.ZodError) {
    return {
      message: `the build driver returned an invalid result: ${error.message}`,
      final: false,
    };
  }
  return { message: error instanceof Error ? error.message : String(error), final: false };
}

/** The build's outcome, or the abort reason as soon as the signal fires. */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** Waits for an aborted driver to finish cleaning up, but not forever. */
async function settle(work: Promise<unknown>, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    work.then(
      () => undefined,
      () => undefined,
    ),
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
    }),
  ]);
  clearTimeout(timer);
}
