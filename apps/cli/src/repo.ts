/**
 * `--repo` flags (deploy and update): the repository as the API takes it. The token is read
 * from an environment variable the user names, so it is in no shell history or `ps` line.
 */
import { branchProblem, repoUrlProblem } from '@slipway/contracts';
import { type Schemas } from './client';
import { UsageError } from './errors';

export interface RepoFlags {
  repo?: string;
  branch?: string;
  repoTokenEnv?: string;
  repoUsername?: string;
}

/** The `repo` body field, checked before anything is sent; undefined without `--repo`. */
export function repoBody(
  flags: RepoFlags,
  docker: { file?: string; context?: string },
  env: NodeJS.ProcessEnv = process.env,
): Schemas['RepoDto'] | undefined {
  if (flags.repo === undefined) {
    const stray = (['branch', 'repoTokenEnv', 'repoUsername'] as const).filter(
      (flag) => flags[flag] !== undefined,
    );
    if (stray.length > 0)
      throw new UsageError('--branch, --repo-token-env and --repo-username need --repo');
    return undefined;
  }
  const urlProblem = repoUrlProblem(flags.repo);
  if (urlProblem) throw new UsageError(`--repo: ${urlProblem}`);
  const branch = flags.branch ?? 'main';
  const problem = branchProblem(branch);
  if (problem) throw new UsageError(`--branch: ${problem}`);
  let auth: Schemas['RepoAuthDto'] | undefined;
  if (flags.repoTokenEnv !== undefined) {
    const token = env[flags.repoTokenEnv];
    if (!token) {
      throw new UsageError(
        `--repo-token-env: the environment variable ${flags.repoTokenEnv} is not set`,
      );
    }
    auth = { token, ...(flags.repoUsername !== undefined && { username: flags.repoUsername }) };
  } else if (flags.repoUsername !== undefined) {
    throw new UsageError('--repo-username needs --repo-token-env');
  }
  return {
    url: flags.repo,
    branch,
    ...((docker.file !== undefined || docker.context !== undefined) && { docker }),
    ...(auth && { auth }),
  };
}

/** The webhook to set on the git host, printed once (its secret is never shown again). */
export function webhookLines(webhook: { url: string; secret?: string }): string {
  return [
    `webhook URL:    ${webhook.url}`,
    ...(webhook.secret === undefined
      ? []
      : [
          `webhook secret: ${webhook.secret}`,
          'Set both on the repository (GitHub: Settings → Webhooks, content type application/json; GitLab: Settings → Webhooks, secret token). The secret is not shown again.',
        ]),
  ].join('\n');
}
