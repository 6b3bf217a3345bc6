/**
 * Why a `git clone` failed, in the user's terms, read from git's stderr (git runs with
 * LC_ALL=C, so its messages are English). Every reason is a BuildFailedError: the URL,
 * the branch or the token is the user's to fix.
 */
import { BuildFailedError } from '../drivers/build-driver';

export interface CloneAttempt {
  readonly url: string;
  readonly branch: string;
  /** Whether a token was sent. */
  readonly authenticated: boolean;
}

/** Lines of git's stderr quoted when the failure is none of the known ones. */
const QUOTED_LINES = 5;

/** The failure for a clone that exited non-zero with `stderr`. */
export function cloneFailure(stderr: string, attempt: CloneAttempt): BuildFailedError {
  const { url, branch } = attempt;
  if (/Remote branch .* not found in upstream/.test(stderr)) {
    return new BuildFailedError(`branch '${branch}' not found in ${url}`);
  }
  const status = /The requested URL returned error: (\d{3})/.exec(stderr)?.[1];
  if (/repository '.*' not found/.test(stderr) || status === '404') {
    return new BuildFailedError(
      `repository ${url} not found (HTTP 404), or the token cannot see it`,
    );
  }
  if (
    /could not read (Username|Password)|Authentication failed|terminal prompts disabled/.test(
      stderr,
    ) ||
    status === '401' ||
    status === '403'
  ) {
    return new BuildFailedError(
      `authentication to ${url} failed: ${
        attempt.authenticated
          ? 'the token was refused'
          : 'the repository is private and no token was given'
      }`,
    );
  }
  if (status !== undefined && status.startsWith('3')) {
    return new BuildFailedError(
      `${url} redirects elsewhere (HTTP ${status}); give the repository's own address`,
    );
  }
  const unreachable = /unable to access '[^']*': (.+)/.exec(stderr)?.[1];
  if (unreachable !== undefined && status === undefined) {
    return new BuildFailedError(`could not reach ${hostOf(url)}: ${unreachable.trim()}`);
  }
  return new BuildFailedError(`cloning ${url} failed:\n${lastLines(stderr)}`);
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/** git's last lines, without the "Cloning into '<dir>'..." progress line. */
function lastLines(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((line) => line.trimEnd())
    .filter((line) => line !== '' && !line.startsWith('Cloning into '));
  return lines.length === 0 ? '(git printed nothing)' : lines.slice(-QUOTED_LINES).join('\n');
}
