/**
 * A way to turn a build job into a pushed image. `docker` feeds the Engine's build API;
 * `kaniko` runs a Kubernetes Job. `SLIPWAY_BUILD_DRIVER` picks one at boot.
 */
import type { BuildJobPayload, BuildJobResult, BuildLogEntry } from '@slipway/contracts';

/** Where build output goes (a Redis stream the API and the CLI follow). */
export interface BuildLogSink {
  write(line: string, stream?: BuildLogEntry['stream']): void;
}

/**
 * The build failed because of the user's input (a missing Dockerfile, a failing RUN step,
 * a rejected bundle): retrying cannot help. `reason` becomes the deployment's
 * `failure_reason`, so it says what failed and shows the evidence (the step's output).
 */
export class BuildFailedError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'BuildFailedError';
  }
}

export interface BuildDriver {
  readonly kind: 'docker' | 'kaniko';
  /**
   * Builds `payload` and pushes it to `payload.destination`; resolves with the pushed
   * digest. Throws BuildFailedError for the user's errors; anything else is an
   * infrastructure failure the queue retries. Stops and cleans up when `signal` aborts.
   */
  build(payload: BuildJobPayload, log: BuildLogSink, signal: AbortSignal): Promise<BuildJobResult>;
}

export const BUILD_DRIVER = Symbol('BUILD_DRIVER');
