/** What the Kaniko driver's contract tests share: names, a started driver, a recording sink. */
import { buildJobName } from '@slipway/k8s-spec';
import { FakeKubeApi, objectPath } from '@slipway/kube-client/testing';
import type { BuildLogSink } from '../../build-driver';
import { KanikoBuildDriver } from '../kaniko-build-driver';
import { buildOptions, payload } from './fixtures';
import type { BuildScript } from './job-controller';

export const namespace = 'slipway-builds';
export const jobName = buildJobName(payload);
export const secretPath = objectPath('v1', 'Secret', namespace, jobName);
export const jobPath = objectPath('batch/v1', 'Job', namespace, jobName);

/** A listening stand-in and a driver that polls it quickly; close `api` after each test. */
export async function startDriver(): Promise<{ api: FakeKubeApi; driver: KanikoBuildDriver }> {
  const api = await FakeKubeApi.started();
  const driver = new KanikoBuildDriver({
    kubeConfig: api.kubeConfig(),
    build: buildOptions,
    pollIntervalMs: 10,
    requestTimeoutMs: 10_000,
  });
  return { api, driver };
}

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
