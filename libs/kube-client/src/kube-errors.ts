/**
 * How Kubernetes API failures are read and reported. An infrastructure failure (refused
 * credentials, a timeout, server trouble) becomes a KubernetesApiError: a plain Error that
 * the queues retry. Which failures are the user's own (a rejected object, a failed build)
 * is for each caller to decide from `statusOf` and `apiMessage`.
 */
import { ApiException } from '@kubernetes/client-node';
import type { KubeClientOptions } from './kube-apis';

export class KubernetesApiError extends Error {
  constructor(
    message: string,
    /** HTTP status of the failed call; undefined when the server did not answer. */
    readonly status: number | undefined,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'KubernetesApiError';
  }
}

/** HTTP status of a failed API call, when the server answered. */
export function statusOf(error: unknown): number | undefined {
  if (error instanceof KubernetesApiError) return error.status;
  return error instanceof ApiException ? error.code : undefined;
}

export function isNotFound(error: unknown): boolean {
  return statusOf(error) === 404;
}

/** node-fetch rejects with an AbortError when the per-request timeout signal fires. */
export function isTimeout(error: unknown): boolean {
  return error instanceof Error && error.name === 'AbortError';
}

/** Worth another try: a stale read (410), throttling, server trouble, a timeout, a dropped connection. */
export function isTransient(error: unknown): boolean {
  const status = statusOf(error);
  if (status === undefined) return isTimeout(error) || isNetworkError(error);
  return status === 410 || status === 429 || status >= 500;
}

/** node-fetch's FetchError, or a system error (ECONNRESET, ECONNREFUSED and friends). */
function isNetworkError(error: unknown): boolean {
  return error instanceof Error && (error.name === 'FetchError' || 'code' in error);
}

/** The `message` of the Status object the API server answered with, else the error's own. */
export function apiMessage(error: unknown): string {
  if (error instanceof ApiException) {
    const body: unknown = error.body;
    const parsed = typeof body === 'string' ? safeParse(body) : body;
    if (isRecord(parsed) && typeof parsed.message === 'string') return parsed.message;
    return `HTTP ${error.code}`;
  }
  return error instanceof Error ? error.message : String(error);
}

/**
 * An infrastructure error for a failed `action` ("apply Deployment ns/web"), saying why:
 * no answer within the request timeout, no connection, refused credentials, or the status.
 */
export function kubernetesApiError(
  error: unknown,
  action: string,
  client: KubeClientOptions,
): KubernetesApiError {
  if (error instanceof KubernetesApiError) return error;
  const status = statusOf(error);
  if (status === undefined) {
    const why = isTimeout(error)
      ? `the Kubernetes API did not answer within ${client.requestTimeoutMs} ms`
      : `the Kubernetes API could not be reached: ${apiMessage(error)}`;
    return new KubernetesApiError(`${action}: ${why}`, undefined, { cause: error });
  }
  const why =
    status === 401 || status === 403
      ? `the Kubernetes API refused the ${client.caller}'s credentials (${status})`
      : `the Kubernetes API answered ${status}`;
  return new KubernetesApiError(`${action}: ${why}: ${apiMessage(error)}`, status, {
    cause: error,
  });
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
