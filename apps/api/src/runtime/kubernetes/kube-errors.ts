/**
 * How Kubernetes API failures are read and reported. Infrastructure failures (refused
 * credentials, timeouts, server errors) become KubernetesApiError, a plain Error the deploy
 * queue retries; only the user's own problems become rollout failures.
 */
import { ApiException } from '@kubernetes/client-node';

export class KubernetesApiError extends Error {
  constructor(
    message: string,
    readonly status: number | undefined,
  ) {
    super(message);
    this.name = 'KubernetesApiError';
  }
}

/** HTTP status of a failed API call, when the server answered. */
export function statusOf(error: unknown): number | undefined {
  return error instanceof ApiException ? error.code : undefined;
}

export function isNotFound(error: unknown): boolean {
  return statusOf(error) === 404;
}

/** node-fetch rejects with an AbortError when the per-request timeout signal fires. */
export function isTimeout(error: unknown): boolean {
  return error instanceof Error && error.name === 'AbortError';
}

/** Worth another try: the watch's view went stale (410), throttling, server trouble, timeouts. */
export function isTransient(error: unknown): boolean {
  const status = statusOf(error);
  if (status === undefined) return isTimeout(error) || isNetworkError(error);
  return status === 410 || status === 429 || status >= 500;
}

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

/** An infrastructure error for a failed `action` ("apply Deployment web-1a2b"), with why. */
export function kubernetesApiError(
  error: unknown,
  action: string,
  timeoutMs: number,
): KubernetesApiError {
  if (error instanceof KubernetesApiError) return error;
  const status = statusOf(error);
  if (status === undefined) {
    const why = isTimeout(error)
      ? `the Kubernetes API did not answer within ${timeoutMs} ms`
      : `the Kubernetes API could not be reached: ${apiMessage(error)}`;
    return new KubernetesApiError(`${action}: ${why}`, undefined);
  }
  if (status === 401 || status === 403) {
    return new KubernetesApiError(
      `${action}: the Kubernetes API refused the runtime's credentials (${status}): ${apiMessage(error)}`,
      status,
    );
  }
  return new KubernetesApiError(
    `${action}: the Kubernetes API answered ${status}: ${apiMessage(error)}`,
    status,
  );
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
