/**
 * Polling the cluster until something is done, and stopping as soon as the caller gives
 * up. Each caller names its own cancellation error (a cancelled rollout, a cancelled
 * build), so these take a factory.
 */
import { setTimeout as delay } from 'node:timers/promises';
import type { KubeApis } from './kube-apis';
import { isTransient, kubernetesApiError } from './kube-errors';

/** Makes the error to throw once the signal has aborted. */
export type CancelledError = () => Error;

/** Settles with `promise`, or rejects with `cancelled()` as soon as `signal` aborts. */
export function untilAborted<T>(
  promise: Promise<T>,
  signal: AbortSignal,
  cancelled: CancelledError,
): Promise<T> {
  promise.catch(() => undefined); // an abandoned request may still fail later
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(cancelled());
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    void promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** Waits `ms`, or rejects with `cancelled()` as soon as `signal` aborts. */
export async function sleepUnlessAborted(
  ms: number,
  signal: AbortSignal,
  cancelled: CancelledError,
): Promise<void> {
  try {
    await delay(ms, undefined, { signal });
  } catch {
    throw cancelled();
  }
}

export interface PollOptions {
  readonly signal: AbortSignal;
  readonly cancelled: CancelledError;
  /** Names the read in an error: "watch the rollout of web". */
  readonly action: string;
}

/**
 * One read of a polling loop. Resolves with what `read` found, or with undefined after a
 * transient failure (a stale read, throttling, a timeout: the next tick looks again);
 * rejects with `cancelled()` as soon as the signal aborts, and with a KubernetesApiError
 * for any other failure.
 */
export async function pollOnce<T>(
  apis: KubeApis,
  read: () => Promise<T>,
  options: PollOptions,
): Promise<T | undefined> {
  try {
    return await untilAborted(read(), options.signal, options.cancelled);
  } catch (error) {
    if (options.signal.aborted) throw options.cancelled();
    if (isTransient(error)) return undefined;
    throw kubernetesApiError(error, options.action, apis.options);
  }
}
