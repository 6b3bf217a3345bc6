/**
 * Clones the head of a repository's branch for a build: shallow, over http(s) only, with
 * symbolic links checked out as plain files, within a time limit and the bundle's size
 * limits. The token travels in an `Authorization` header set through git's environment:
 * never in argv, in the log, or in an error.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  branchProblem,
  type BuiltCommit,
  type GitCredentials,
  type GitSource,
  repoUrlProblem,
} from '@slipway/contracts';
import type { BundleSummary } from '@slipway/source-bundle';
import { BuildFailedError, type BuildLogSink } from '../drivers/build-driver';
import { type CheckoutLimits, summarizeCheckout } from './checkout-summary';
import { cloneFailure } from './clone-failure';
import { cloneTargetConfig } from './clone-target';
import { fetchGitCredentials } from './fetch-credentials';
import { gitEnvironment, runGit } from './git-process';

export type { CheckoutLimits };

export interface CloneOptions {
  /** How long the clone (and reading its commit) may take. */
  readonly timeoutMs: number;
  /** What the checkout may hold, as for an extracted bundle. */
  readonly limits: CheckoutLimits;
  /** The build's signal (its timeout, the builder's shutdown): kills git when it aborts. */
  readonly signal: AbortSignal;
  /** The build log: progress lines go to its `system` stream. */
  readonly log: BuildLogSink;
}

/** The commit checked out, and the checkout described as a bundle (for the build context). */
export interface ClonedRepository extends BuiltCommit {
  readonly summary: BundleSummary;
}

/** The most of a commit's subject kept (BuiltCommit's limit). */
const MAX_MESSAGE_LENGTH = 4096;

/**
 * A build's checkout: the repository's credentials fetched from the API when it is private,
 * then `cloneRepository`.
 */
export async function checkoutRepository(
  source: GitSource,
  dir: string,
  options: CloneOptions,
): Promise<ClonedRepository> {
  let credentials: GitCredentials | undefined;
  if (source.credentials !== undefined) {
    options.log.write("fetching the repository's credentials", 'system');
    credentials = await fetchGitCredentials(source.credentials, { signal: options.signal });
  }
  return cloneRepository(source, credentials, dir, options);
}

/**
 * Clones `source.branch` of `source.url` into `dir` (which must not exist), reads its head
 * commit, removes `.git` and checks the tree against `limits`. Throws BuildFailedError for
 * everything the user can fix (URL, branch, token, size, time); rejects with the signal's
 * reason when it aborts.
 */
export async function cloneRepository(
  source: GitSource,
  credentials: GitCredentials | undefined,
  dir: string,
  options: CloneOptions,
): Promise<ClonedRepository> {
  const { url, branch } = source;
  // The job schema refuses these already; git must never see an option or an ext:: URL.
  const urlProblem = repoUrlProblem(url);
  if (urlProblem !== null) {
    throw new BuildFailedError(`cannot clone '${url}': the repository URL ${urlProblem}`);
  }
  const badBranch = branchProblem(branch);
  if (badBranch !== null) throw new BuildFailedError(`cannot clone ${url}: branch ${badBranch}`);

  const { signal, log } = options;
  const secrets = secretsOf(credentials);
  const home = await mkdtemp(join(tmpdir(), 'slipway-git-home-'));
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), options.timeoutMs);
  const gitSignal = AbortSignal.any([signal, deadline.signal]);
  try {
    const target = await cloneTargetConfig(url);
    const env = gitEnvironment({ home, config: [...cloneConfig(credentials), ...target] });
    log.write(`cloning ${url} (branch ${branch})`, 'system');
    const clone = await runGit(
      [
        'clone',
        '--depth',
        '1',
        '--single-branch',
        '--branch',
        branch,
        '--no-tags',
        '--template=',
        '--',
        url,
        dir,
      ],
      { env, signal: gitSignal },
    );
    if (clone.code !== 0) {
      const stderr = redact(clone.stderr, secrets);
      throw cloneFailure(stderr, { url, branch, authenticated: credentials !== undefined });
    }
    const shown = await runGit(['--no-pager', '-C', dir, 'log', '-1', '--format=%H%n%s'], {
      env,
      signal: gitSignal,
    });
    const commit = parseCommit(redact(shown.stdout, secrets));
    if (shown.code !== 0 || commit === undefined) {
      throw new Error(
        `could not read the commit cloned from ${url}: ${redact(shown.stderr, secrets)}`,
      );
    }
    log.write(`checked out ${commit.sha.slice(0, 7)} ${commit.message}`, 'system');
    await rm(join(dir, '.git'), { recursive: true, force: true, maxRetries: 3 });
    const summary = await summarizeCheckout(dir, options.limits, url);
    return { ...commit, summary };
  } catch (error) {
    if (deadline.signal.aborted && error === deadline.signal.reason) {
      throw new BuildFailedError(`cloning ${url} timed out after ${options.timeoutMs / 1000} s`);
    }
    throw error;
  } finally {
    clearTimeout(timer);
    await rm(home, { recursive: true, force: true, maxRetries: 3 });
  }
}

/**
 * `-c` settings for the clone: http(s) only (no file://, ssh or ext:: transports), links
 * as plain files (a symlinked Dockerfile must never make the builder read a host file),
 * no redirects once a token is sent (it must not reach another host), and the token.
 */
function cloneConfig(credentials: GitCredentials | undefined): [string, string][] {
  const config: [string, string][] = [
    ['protocol.allow', 'never'],
    ['protocol.https.allow', 'always'],
    ['protocol.http.allow', 'always'],
    ['core.symlinks', 'false'],
    ['core.hooksPath', '/dev/null'],
    ['http.followRedirects', credentials === undefined ? 'initial' : 'false'],
  ];
  if (credentials !== undefined) {
    config.push(['http.extraHeader', `Authorization: Basic ${basic(credentials)}`]);
  }
  return config;
}

function basic(credentials: GitCredentials): string {
  return Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64');
}

/** What must never be shown: the password, and the header value that carries it. */
function secretsOf(credentials: GitCredentials | undefined): string[] {
  return credentials === undefined ? [] : [credentials.password, basic(credentials)];
}

/** Belt and braces: git does not print the header, but nothing it prints may carry it. */
function redact(text: string, secrets: readonly string[]): string {
  return secrets.reduce((result, secret) => result.replaceAll(secret, '[redacted]'), text);
}

function parseCommit(stdout: string): BuiltCommit | undefined {
  const newline = stdout.indexOf('\n');
  const sha = (newline < 0 ? stdout : stdout.slice(0, newline)).trim();
  if (!/^[a-f0-9]{40}([a-f0-9]{24})?$/.test(sha)) return undefined;
  const message = (newline < 0 ? '' : stdout.slice(newline + 1)).trim();
  return { sha, message: message.slice(0, MAX_MESSAGE_LENGTH) };
}
