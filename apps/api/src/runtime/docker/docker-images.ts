/** Images on the engine: pulled before a rollout, removed with their service. */
import type Dockerode from 'dockerode';
import { RolloutFailedError } from '../runtime-driver';
import { engineMessage, isStatus } from './docker-errors';

export type PullPolicy = 'missing' | 'always';

export interface RegistryAuth {
  readonly username: string;
  readonly password: string;
  /**
   * The registry (`host[:port]`) these credentials are for; they are sent only with pulls
   * from it. @default sent with every pull
   */
  readonly registry?: string;
}

/** The registry host of an image reference (`docker.io` when the first part is not a host). */
export function registryOf(image: string): string {
  const slash = image.indexOf('/');
  if (slash < 0) return 'docker.io';
  const first = image.slice(0, slash);
  return first.includes('.') || first.includes(':') || first === 'localhost' ? first : 'docker.io';
}

function authFor(image: string, auth: RegistryAuth | undefined): Dockerode.AuthConfig | undefined {
  if (auth === undefined) return undefined;
  const registry = registryOf(image);
  if (auth.registry !== undefined && auth.registry !== registry) return undefined;
  return { username: auth.username, password: auth.password, serveraddress: registry };
}

async function present(docker: Dockerode, image: string): Promise<boolean> {
  try {
    await docker.getImage(image).inspect();
    return true;
  } catch (error) {
    if (isStatus(error, 404)) return false;
    throw error;
  }
}

interface PullEvent {
  readonly error?: string;
  readonly errorDetail?: { readonly message?: string };
}

/** Pulls `image` when the policy asks; a failed pull is the deployment's failure reason. */
export async function ensureImage(
  docker: Dockerode,
  image: string,
  policy: PullPolicy,
  auth: RegistryAuth | undefined,
  signal: AbortSignal,
): Promise<'present' | 'pulled'> {
  if (policy === 'missing' && (await present(docker, image))) return 'present';
  try {
    const stream = await docker.pull(image, {
      authconfig: authFor(image, auth),
      abortSignal: signal,
    });
    const events = await new Promise<PullEvent[]>((resolve, reject) => {
      docker.modem.followProgress(stream, (error: Error | null, output: PullEvent[]) =>
        error === null ? resolve(output) : reject(error),
      );
    });
    // The engine reports most pull failures inside a 200 stream, not as an HTTP error.
    const failed = events.find((event) => event.error !== undefined);
    if (failed !== undefined) throw new Error(failed.errorDetail?.message ?? failed.error);
    return 'pulled';
  } catch (error) {
    signal.throwIfAborted();
    throw new RolloutFailedError(`cannot pull image ${image}: ${engineMessage(error)}`);
  }
}

/**
 * Removes the engine's copies of images Slipway built (by reference: the deployment id is
 * the tag, so no other service's image can match). Gone or still in use is fine.
 */
export async function removeImages(
  docker: Dockerode,
  references: readonly string[],
): Promise<void> {
  for (const reference of references) {
    try {
      await docker.getImage(reference).remove();
    } catch (error) {
      if (!isStatus(error, 404) && !isStatus(error, 409)) throw error;
    }
  }
}
