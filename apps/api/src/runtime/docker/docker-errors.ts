/** Reading the errors docker-modem rejects with (`statusCode`, `json.message`). */

interface EngineError {
  readonly statusCode?: unknown;
  readonly json?: unknown;
  readonly message?: unknown;
}

/** Whether the engine answered with HTTP `status` (404 no such object, 409 conflict, ...). */
export function isStatus(error: unknown, status: number): boolean {
  return (
    typeof error === 'object' && error !== null && (error as EngineError).statusCode === status
  );
}

/** The engine's own words, without docker-modem's `(HTTP code 404) unexpected - ` prefix. */
export function engineMessage(error: unknown): string {
  if (typeof error !== 'object' || error === null) return String(error);
  const { json, message } = error as EngineError;
  if (typeof json === 'object' && json !== null) {
    const text = (json as { message?: unknown }).message;
    if (typeof text === 'string' && text !== '') return text.trim();
  }
  if (typeof message !== 'string') return 'unknown engine error';
  return message.replace(/^\(HTTP code \d+\) [^-]*- /, '').trim();
}

/** Runs `action`, treating "no such object" and "already in that state" as done. */
export async function ignoringGone(action: () => Promise<unknown>): Promise<void> {
  try {
    await action();
  } catch (error) {
    // 404: already removed; 304: already stopped; 409: removal already in progress.
    if (!isStatus(error, 404) && !isStatus(error, 304) && !isStatus(error, 409)) throw error;
  }
}

const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ENOENT',
  'EACCES',
  'ETIMEDOUT',
  'EHOSTUNREACH',
]);

/** Whether `error` says the engine could not be reached at all (socket missing, refused, ...). */
export function isEngineUnreachable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, syscall } = error as { code?: unknown; syscall?: unknown };
  return typeof code === 'string' && UNREACHABLE_CODES.has(code) && syscall === 'connect';
}

/** What users read when the engine is down: named, with where to look. */
export function engineUnreachableReason(error: unknown): string {
  const message = (error instanceof Error ? error.message : String(error)).replace(/^Error: /, '');
  return `the Docker Engine is unreachable (${message}); check that dockerd runs and DOCKER_HOST points at it`;
}
