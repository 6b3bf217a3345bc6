/**
 * Reading Kubernetes API failures. Anything here is infrastructure (the queue retries the
 * build); the user's own mistakes are read from the build pod, not from API errors.
 */
import { ApiException } from '@kubernetes/client-node';

export function statusOf(error: unknown): number | undefined {
  return error instanceof ApiException ? error.code : undefined;
}

export function isNotFound(error: unknown): boolean {
  return statusOf(error) === 404;
}

/** Worth another look on the next poll: a stale read, throttling, server trouble, a timeout. */
export function isTransient(error: unknown): boolean {
  const status = statusOf(error);
  if (status === undefined) {
    // A timeout (AbortError) or a connection problem (FetchError, ECONNRESET and friends).
    return (
      error instanceof Error &&
      (error.name === 'AbortError' || error.name === 'FetchError' || 'code' in error)
    );
  }
  return status === 410 || status === 429 || status >= 500;
}

/** The `message` of the Status object the API server answered with, else the error's own. */
export function apiMessage(error: unknown): string {
  if (error instanceof ApiException) {
    const body: unknown = error.body;
    const parsed = typeof body === 'string' ? safeParse(body) : body;
    if (typeof parsed === 'object' && parsed !== null && 'message' in parsed) {
      return String(parsed.message);
    }
    return `HTTP ${error.code}`;
  }
  return error instanceof Error ? error.message : String(error);
}

/** A plain Error naming the failed `action` and why, so the queue retries the build. */
export function kubernetesError(error: unknown, action: string, timeoutMs: number): Error {
  const status = statusOf(error);
  if (status === undefined) {
    const timedOut = error instanceof Error && error.name === 'AbortError';
    const why = timedOut
      ? `the Kubernetes API did not answer within ${timeoutMs} ms`
      : `the Kubernetes API could not be reached: ${apiMessage(error)}`;
    return new Error(`${action}: ${why}`, { cause: error });
  }
  const why =
    status === 401 || status === 403
      ? `the Kubernetes API refused the builder's credentials (${status})`
      : `the Kubernetes API answered ${status}`;
  return new Error(`${action}: ${why}: ${apiMessage(error)}`, { cause: error });
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
