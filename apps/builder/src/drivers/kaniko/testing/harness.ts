/** What the Kaniko driver's contract tests share: names, a recording sink, small waits. */
import { buildJobName } from '@slipway/k8s-spec';
import type { BuildLogSink } from '../../build-driver';
import { payload } from './fixtures';
import type { BuildScript } from './job-controller';

export const namespace = 'slipway-builds';
export const jobName = buildJobName(payload);
export const secretPath = `/api/v1/namespaces/${namespace}/secrets/${jobName}`;
export const jobPath = `/apis/batch/v1/namespaces/${namespace}/jobs/${jobName}`;

export class RecordingSink implements BuildLogSink {
  readonly entries: { line: string; stream: string | undefined }[] = [];
  write(line: string, stream?: 'stdout' | 'stderr' | 'system'): void {
    this.entries.push({ line, stream });
  }
  /** The build's own output, without the driver's system lines. */
  get output(): string[] {
    return this.entries.filter((e) => e.stream !== 'system').map((e) => e.line);
  }
}

export function script(overrides: Partial<BuildScript>): BuildScript {
  return { namespace, jobName, steps: [], ...overrides };
}

/** The rejection of `promise` (which must reject with an Error). */
export async function failure(promise: Promise<unknown>): Promise<Error> {
  const error = await promise.then(
    () => undefined,
    (rejection: unknown) => rejection,
  );
  if (!(error instanceof Error))
    throw new Error(`expected a rejection with an Error, got ${String(error)}`);
  return error;
}

export async function waitFor(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i += 1) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  if (!condition()) throw new Error('condition not met within 2s');
}
