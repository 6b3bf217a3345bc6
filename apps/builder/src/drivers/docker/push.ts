/**
 * Pushing a built image and reading its digest from the Engine's progress. Push failures
 * are the infrastructure's (registry down, credentials wrong): the queue retries them.
 */
import type Docker from 'dockerode';
import type { BuildLogSink } from '../build-driver';
import { parseImageReference } from './image-reference';
import { followProgress } from './progress';

export interface RegistryCredentials {
  username: string;
  password: string;
}

const DIGEST = /^sha256:[a-f0-9]{64}$/;

export class PushFailedError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'PushFailedError';
  }
}

/** Pushes `destination` (`registry/repo:tag`) and resolves with the manifest digest. */
export async function pushImage(
  docker: Docker,
  destination: string,
  credentials: RegistryCredentials | undefined,
  log: BuildLogSink,
  signal: AbortSignal,
): Promise<string> {
  const { registry, repository, tag } = parseImageReference(destination);
  let stream: NodeJS.ReadableStream;
  try {
    stream = await docker.getImage(repository).push({
      tag,
      // The Engine answers 400 without an X-Registry-Auth header, even for no credentials.
      authconfig: { serveraddress: registry, ...credentials },
      abortSignal: signal,
    });
  } catch (error) {
    signal.throwIfAborted();
    throw new PushFailedError(`pushing ${destination} failed: ${engineMessage(error)}`, {
      cause: error,
    });
  }

  let digest: string | undefined;
  let failure: string | undefined;
  try {
    await followProgress(docker, stream, (event) => {
      if (event.error) failure ??= event.errorDetail?.message ?? event.error;
      if (event.aux?.Digest) digest = event.aux.Digest;
      // Layer-by-layer byte counts are noise in a build log; state changes are not.
      const counting = event.progressDetail?.total !== undefined;
      if (event.status && !counting) {
        log.write(event.id ? `${event.id}: ${event.status}` : event.status);
      }
    });
  } catch (error) {
    signal.throwIfAborted();
    throw new PushFailedError(`pushing ${destination} failed: ${engineMessage(error)}`, {
      cause: error,
    });
  }
  if (failure !== undefined) {
    throw new PushFailedError(`pushing ${destination} failed: ${failure}`);
  }
  if (!digest || !DIGEST.test(digest)) {
    throw new PushFailedError(`pushing ${destination} finished without a digest from the registry`);
  }
  return digest;
}

/** dockerode's error text, without its "(HTTP code 500) server error - " preamble. */
export function engineMessage(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const json = (error as Error & { json?: { message?: unknown } | null }).json;
  const message = typeof json?.message === 'string' ? json.message : error.message;
  return message.replace(/^\(HTTP code \d+\) [^-]*- /, '').trim();
}
