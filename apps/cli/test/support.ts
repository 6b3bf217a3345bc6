/**
 * The built `slipway` command against a real API (docker runtime) started in the test's
 * process by `@slipway/api-testing`. The CLI itself compiles against the OpenAPI snapshot
 * only; the lib's plain interfaces keep its tests off the API's sources too.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DockerStack, startDockerStack } from '@slipway/api-testing';

export const BIN = join(__dirname, '..', 'bin', 'slipway.js');

/** One request to an edge on 127.0.0.1:`port` naming the service by Host (fetch may not set Host). */
export function throughEdge(
  port: number,
  host: string,
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path, headers: { Host: host, ...headers } },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

export interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the built CLI as a user would: its own HOME (with XDG_CONFIG_HOME inside it), only
 * PATH from this process, and the exit code, stdout and stderr whatever happens.
 */
export function runCli(
  args: readonly string[],
  options: { home: string; timeoutMs: number; env?: Record<string, string>; cwd?: string },
): Promise<Result> {
  const { home, timeoutMs, env = {}, cwd = home } = options;
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      {
        env: {
          PATH: process.env.PATH ?? '',
          HOME: home,
          XDG_CONFIG_HOME: join(home, 'xdg'),
          ...env,
        },
        cwd,
        timeout: timeoutMs,
        maxBuffer: 16 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

export interface CliHarness {
  readonly stack: DockerStack;
  readonly apiUrl: string;
  /** A fresh HOME (with XDG_CONFIG_HOME inside it) for each test. */
  readonly home: string;
  /** SLIPWAY_API_URL and SLIPWAY_TOKEN of the stack's admin. */
  adminEnv(): Record<string, string>;
  /** Runs the CLI asynchronously: the API answering it lives in this same process. */
  slipway(args: string[], env?: Record<string, string>, cwd?: string): Promise<Result>;
  /** Runs with `--json`, expects exit 0 and answers the parsed stdout. */
  json<T>(args: string[], env?: Record<string, string>): Promise<T>;
}

/** Starts the stack for the calling `describe` and gives each test a fresh HOME. */
export function useCliStack(): CliHarness {
  let stack: DockerStack | undefined;
  let apiUrl = '';
  let home = '';

  beforeAll(async () => {
    // With a builder the stack already listens (builders fetch bundles from the API).
    stack = await startDockerStack({ builder: true });
    apiUrl = await stack.t.listen();
  });
  afterAll(async () => {
    await stack?.close();
  });
  beforeEach(async () => {
    home = await mkdtemp(join(tmpdir(), 'slipway-cli-e2e-'));
  });
  afterEach(async () => {
    await rm(home, { recursive: true, force: true });
  });

  const started = (): DockerStack => {
    if (!stack) throw new Error('the stack has not started');
    return stack;
  };

  const harness: CliHarness = {
    get stack() {
      return started();
    },
    get apiUrl() {
      return apiUrl;
    },
    get home() {
      return home;
    },
    adminEnv: () => ({ SLIPWAY_API_URL: apiUrl, SLIPWAY_TOKEN: started().t.adminToken }),
    slipway(args, env = {}, cwd = home) {
      return runCli(args, { home, env, cwd, timeoutMs: 100_000 });
    },
    async json<T>(args: string[], env?: Record<string, string>): Promise<T> {
      const result = await harness.slipway([...args, '--json'], env);
      expect({ args, code: result.code, stderr: result.stderr }).toEqual({
        args,
        code: 0,
        stderr: expect.any(String),
      });
      return JSON.parse(result.stdout) as T;
    },
  };
  return harness;
}
