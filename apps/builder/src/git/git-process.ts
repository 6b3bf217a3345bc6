/**
 * Runs the `git` CLI for the builder: no shell, a clean environment (nothing of the
 * builder's own: no Redis URL, no registry password), configuration passed in
 * `GIT_CONFIG_*` variables rather than argv (which `ps` shows), and a kill of git's whole
 * process group (git starts `git-remote-https`, `index-pack`, ...) when the signal aborts.
 */
import { spawn } from 'node:child_process';

/** What git prints beyond this (per stream) is dropped from the front: the end says why. */
const MAX_OUTPUT_CHARS = 64 * 1024;

/** Variables git may take from the builder's environment: proxies and CA certificates. */
const PASSED_THROUGH = [
  'PATH',
  'http_proxy',
  'https_proxy',
  'no_proxy',
  'all_proxy',
  'HTTP_PROXY',
  'HTTPS_PROXY',
  'NO_PROXY',
  'ALL_PROXY',
  'SSL_CERT_FILE',
  'SSL_CERT_DIR',
  'GIT_SSL_CAINFO',
  'GIT_SSL_CAPATH',
] as const;

export interface GitEnvironmentOptions {
  /** An empty directory of the caller's: git's HOME (no ~/.gitconfig, no credential store). */
  readonly home: string;
  /** `key=value` configuration, in order (git's `-c`, without argv). */
  readonly config: readonly (readonly [string, string])[];
  /** The builder's environment, for the variables passed through. @default process.env */
  readonly parent?: NodeJS.ProcessEnv;
}

/**
 * git's whole environment: no system or global config, no prompts (a missing or refused
 * credential fails instead of waiting for a terminal), no askpass program, messages in
 * English (failures are read from stderr), and `config` as `GIT_CONFIG_KEY_n`/`VALUE_n`.
 */
export function gitEnvironment(options: GitEnvironmentOptions): NodeJS.ProcessEnv {
  const parent = options.parent ?? process.env;
  const env: NodeJS.ProcessEnv = {};
  for (const name of PASSED_THROUGH) {
    const value = parent[name];
    if (value !== undefined) env[name] = value;
  }
  Object.assign(env, {
    HOME: options.home,
    XDG_CONFIG_HOME: options.home,
    LC_ALL: 'C',
    GIT_TERMINAL_PROMPT: '0',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    // Set and empty: git then runs no askpass program at all (core.askPass included).
    GIT_ASKPASS: '',
    SSH_ASKPASS: '',
    GIT_CONFIG_COUNT: String(options.config.length),
  });
  options.config.forEach(([key, value], index) => {
    env[`GIT_CONFIG_KEY_${index}`] = key;
    env[`GIT_CONFIG_VALUE_${index}`] = value;
  });
  return env;
}

export interface GitRun {
  /** Exit code, or null when git was killed. */
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `git args` and resolves with its exit code and output once it and its children are
 * gone. When `signal` aborts, the process group is killed and the promise rejects with the
 * signal's reason, after git has exited (so the caller may remove what it was writing).
 * Rejects with a plain Error when git cannot be started at all.
 */
export function runGit(
  args: readonly string[],
  options: { readonly env: NodeJS.ProcessEnv; readonly signal: AbortSignal },
): Promise<GitRun> {
  const { env, signal } = options;
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise<GitRun>((resolve, reject) => {
    const child = spawn('git', args, {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group, so a kill reaches the helpers git starts.
      detached: true,
      windowsHide: true,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout = (stdout + chunk).slice(-MAX_OUTPUT_CHARS);
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-MAX_OUTPUT_CHARS);
    });
    const kill = (): void => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    };
    signal.addEventListener('abort', kill, { once: true });
    child.once('error', (error) => {
      signal.removeEventListener('abort', kill);
      reject(new Error(`could not run git: ${error.message}`, { cause: error }));
    });
    child.once('close', (code) => {
      signal.removeEventListener('abort', kill);
      if (signal.aborted) reject(signal.reason as Error);
      else resolve({ code, stdout, stderr });
    });
  });
}
