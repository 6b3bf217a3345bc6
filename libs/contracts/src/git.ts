/**
 * Deploying from a git repository: the rules for what a user may connect (checked by the
 * API, the CLI and the builder alike), and the webhook's address.
 */

export const MAX_REPO_URL_LENGTH = 2048;
export const MAX_BRANCH_LENGTH = 255;

/** The user name sent with a repository token when none is given (GitHub's; GitLab takes any). */
export const DEFAULT_GIT_USERNAME = 'x-access-token';

/** Why `url` cannot be cloned, or null: an http(s) URL with no credentials, query or fragment. */
export function repoUrlProblem(url: unknown): string | null {
  if (typeof url !== 'string') return 'must be a string';
  if (url.length > MAX_REPO_URL_LENGTH) {
    return `must be at most ${MAX_REPO_URL_LENGTH} characters`;
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `must be an http(s) URL such as https://github.com/acme/api.git (got '${url}')`;
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    return `must be an http(s) URL (got ${parsed.protocol.replace(/:$/, '')}); ssh and file URLs are not cloned`;
  }
  if (parsed.username !== '' || parsed.password !== '') {
    return 'must not carry credentials: give the token as repo.auth.token, which is stored sealed';
  }
  if (parsed.search !== '' || parsed.hash !== '') return 'must not have a query or a fragment';
  return null;
}

/** Why `name` is not a branch git accepts (`git check-ref-format --branch`), or null. */
export function branchProblem(name: unknown): string | null {
  if (typeof name !== 'string') return 'must be a string';
  if (name.length === 0 || name.length > MAX_BRANCH_LENGTH) {
    return `must be 1 to ${MAX_BRANCH_LENGTH} characters`;
  }
  const invalid =
    name.startsWith('-') ||
    name.startsWith('/') ||
    name.endsWith('/') ||
    name.endsWith('.') ||
    name.endsWith('.lock') ||
    name.includes('..') ||
    name.includes('//') ||
    name.includes('@{') ||
    name === '@' ||
    name.split('/').some((part) => part.startsWith('.')) ||
    // Control characters, space and the characters git reserves.
    [...name].some((char) => char.charCodeAt(0) <= 0x20 || char.charCodeAt(0) === 0x7f) ||
    /[~^:?*[\\]/.test(name);
  return invalid ? `'${name}' is not a valid branch name` : null;
}

/** Where a repository's push webhooks go, under the API's public address. */
export function gitWebhookPath(serviceId: string): string {
  return `/v1/hooks/git/${serviceId}`;
}

/** A service's repository as the API shows it (never its token). */
export interface ServiceRepoResource {
  url: string;
  branch: string;
  docker: { file: string; context: string };
  /** Whether a token is stored. */
  private: boolean;
  webhook_url: string;
  /** Only in the answer that connected the repository. */
  webhook_secret?: string;
}

/** What a deployment was built from, when from git. */
export interface DeploymentRepo {
  url: string;
  branch: string;
  docker: { file: string; context: string };
  /** Null until the builder has cloned it. */
  commit_sha: string | null;
  commit_message: string | null;
}
