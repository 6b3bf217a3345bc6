/**
 * A git server for tests: `git http-backend` run as a CGI behind a loopback `node:http`
 * server, so clones and pushes speak git's real smart HTTP protocol, with HTTP Basic auth
 * when asked. Repositories are bare repositories in a temporary directory; `createRepo` and
 * `push` commit from a working clone and push through the server itself.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface GitServerOptions {
  /** Every request (pushes included) must carry HTTP Basic with these; others get 401. */
  readonly auth?: { readonly username: string; readonly password: string };
}

/** A file's content, or a symbolic link to `symlink` (committed as a link, mode 120000). */
export type GitFileContent = string | { readonly symlink: string };
/** Files to commit, by path relative to the repository root (posix). */
export type GitFiles = Readonly<Record<string, GitFileContent>>;

export interface GitRequest {
  readonly method: string;
  readonly path: string;
  readonly authorization: string | undefined;
}

export interface GitServer {
  /** The clone URL of repository `name` (which need not exist: a clone then gets 404). */
  url(name: string): string;
  /** A new bare repository whose `branch` (also its HEAD) holds `files` in one commit. */
  createRepo(name: string, files: GitFiles, branch?: string): Promise<void>;
  /**
   * Commits `files` (added or overwritten; others stay) on `branch`, created from the
   * default branch when new, and pushes it; resolves with the new commit's sha.
   */
  push(name: string, files: GitFiles, message: string, branch?: string): Promise<string>;
  /** From now on requests are never answered (for timeout tests); `close` ends them. */
  hang(): void;
  /** Requests seen, in order. */
  readonly requests: readonly GitRequest[];
  /** Stops the server and the backends it runs, and removes every repository. */
  close(): Promise<void>;
}

/** The author of every commit the server makes. */
export const GIT_TEST_AUTHOR = { name: 'Slipway Test', email: 'test@slipway.invalid' } as const;

const REPO_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,99}$/;

export async function startGitServer(options: GitServerOptions = {}): Promise<GitServer> {
  const root = await mkdtemp(join(tmpdir(), 'slipway-git-server-'));
  const repos = join(root, 'repos');
  const home = join(root, 'home');
  await mkdir(repos);
  await mkdir(home);
  const baseEnv: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: home,
    LC_ALL: 'C',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_TERMINAL_PROMPT: '0',
  };
  const expected = options.auth
    ? `Basic ${Buffer.from(`${options.auth.username}:${options.auth.password}`).toString('base64')}`
    : undefined;
  const requests: GitRequest[] = [];
  const backends = new Set<ChildProcess>();
  let hanging = false;

  const server = createServer((req, res) => {
    requests.push({
      method: req.method ?? 'GET',
      path: req.url ?? '/',
      authorization: req.headers.authorization,
    });
    if (hanging) return; // Never answered; `close` destroys the connection.
    if (expected !== undefined && req.headers.authorization !== expected) {
      req.resume();
      res.writeHead(401, { 'www-authenticate': 'Basic realm="slipway test git"' }).end();
      return;
    }
    serveWithBackend(
      req,
      res,
      {
        ...baseEnv,
        GIT_PROJECT_ROOT: repos,
        GIT_HTTP_EXPORT_ALL: '1',
        ...(options.auth ? { REMOTE_USER: options.auth.username } : {}),
        REMOTE_ADDR: req.socket.remoteAddress ?? '127.0.0.1',
      },
      backends,
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const url = (name: string): string => `${base}/${name}.git`;
  // The helper's own pushes and clones authenticate through config in the environment.
  const clientEnv: NodeJS.ProcessEnv = expected
    ? {
        ...baseEnv,
        GIT_CONFIG_COUNT: '1',
        GIT_CONFIG_KEY_0: 'http.extraHeader',
        GIT_CONFIG_VALUE_0: `Authorization: ${expected}`,
      }
    : baseEnv;
  const git = async (args: readonly string[], cwd?: string): Promise<string> => {
    try {
      const { stdout } = await run('git', args, { env: clientEnv, cwd, maxBuffer: 16 << 20 });
      return stdout;
    } catch (error) {
      const stderr = (error as { stderr?: string }).stderr ?? '';
      throw new Error(`git ${args.join(' ')} failed: ${stderr.trim()}`, { cause: error });
    }
  };

  const push = async (
    name: string,
    files: GitFiles,
    message: string,
    branch = 'main',
  ): Promise<string> => {
    checkName(name);
    const work = await mkdtemp(join(root, 'work-'));
    try {
      await git(['clone', '--quiet', '--', url(name), work]);
      if (
        await succeeds(git(['rev-parse', '--verify', '-q', `refs/remotes/origin/${branch}`], work))
      ) {
        await git(['checkout', '-q', '-B', branch, `origin/${branch}`], work);
      } else if (await succeeds(git(['rev-parse', '--verify', '-q', 'HEAD'], work))) {
        await git(['checkout', '-q', '-B', branch], work);
      } else {
        await git(['symbolic-ref', 'HEAD', `refs/heads/${branch}`], work);
      }
      for (const [path, content] of Object.entries(files)) {
        const target = join(work, path);
        await mkdir(dirname(target), { recursive: true });
        await rm(target, { force: true, recursive: true });
        if (typeof content === 'string') await writeFile(target, content);
        else await symlink(content.symlink, target);
      }
      await git(['add', '-A'], work);
      await git(
        [
          '-c',
          `user.name=${GIT_TEST_AUTHOR.name}`,
          '-c',
          `user.email=${GIT_TEST_AUTHOR.email}`,
          'commit',
          '-q',
          '--no-verify',
          '--allow-empty',
          '-m',
          message,
        ],
        work,
      );
      await git(['push', '-q', 'origin', `HEAD:refs/heads/${branch}`], work);
      return (await git(['rev-parse', 'HEAD'], work)).trim();
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  };

  let closing: Promise<void> | undefined;
  return {
    url,
    push,
    requests,
    async createRepo(name, files, branch = 'main') {
      checkName(name);
      const bare = join(repos, `${name}.git`);
      await git(['init', '-q', '--bare', `--initial-branch=${branch}`, bare]);
      await git(['config', 'http.receivepack', 'true'], bare);
      await push(name, files, 'initial commit', branch);
    },
    hang() {
      hanging = true;
    },
    close() {
      closing ??= (async () => {
        hanging = true;
        for (const backend of backends) backend.kill('SIGKILL');
        server.closeAllConnections();
        await new Promise((resolve) => server.close(resolve));
        await rm(root, { recursive: true, force: true, maxRetries: 3 });
      })();
      return closing;
    },
  };
}

function checkName(name: string): void {
  if (!REPO_NAME.test(name))
    throw new Error(`'${name}' is not a repository name for the test server`);
}

async function succeeds(work: Promise<unknown>): Promise<boolean> {
  return work.then(
    () => true,
    () => false,
  );
}

/**
 * Runs `git http-backend` for one request (RFC 3875 CGI): the request body on its stdin,
 * its response (CGI headers with `Status:`, then the body) on its stdout.
 */
function serveWithBackend(
  req: IncomingMessage,
  res: ServerResponse,
  env: NodeJS.ProcessEnv,
  backends: Set<ChildProcess>,
): void {
  const url = new URL(req.url ?? '/', 'http://git.test');
  const header = (name: string): string | undefined => {
    const value = req.headers[name];
    return Array.isArray(value) ? value.join(', ') : value;
  };
  const optional = (key: string, value: string | undefined): NodeJS.ProcessEnv =>
    value === undefined ? {} : { [key]: value };
  const backend = spawn('git', ['http-backend'], {
    env: {
      ...env,
      GATEWAY_INTERFACE: 'CGI/1.1',
      SERVER_PROTOCOL: 'HTTP/1.1',
      REQUEST_METHOD: req.method ?? 'GET',
      PATH_INFO: decodeURIComponent(url.pathname),
      QUERY_STRING: url.search.slice(1),
      CONTENT_TYPE: header('content-type') ?? '',
      ...optional('CONTENT_LENGTH', header('content-length')),
      // Clients gzip their upload-pack requests; the backend inflates them when told.
      ...optional('HTTP_CONTENT_ENCODING', header('content-encoding')),
      ...optional('HTTP_GIT_PROTOCOL', header('git-protocol')),
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  backends.add(backend);
  const stderr: Buffer[] = [];
  backend.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
  backend.stdin.on('error', () => undefined); // The backend may exit before reading it all.
  req.pipe(backend.stdin);

  let head = Buffer.alloc(0);
  let headersSent = false;
  backend.stdout.on('data', (chunk: Buffer) => {
    if (headersSent) {
      res.write(chunk);
      return;
    }
    head = Buffer.concat([head, chunk]);
    const end = head.indexOf('\r\n\r\n');
    if (end < 0) return;
    const { status, headers } = parseCgiHeaders(head.subarray(0, end).toString('latin1'));
    res.writeHead(status, headers);
    headersSent = true;
    res.write(head.subarray(end + 4));
  });
  backend.on('error', (error) => {
    backends.delete(backend);
    if (!res.headersSent) res.writeHead(500).end(`git http-backend: ${error.message}`);
    else res.destroy(error);
  });
  backend.on('close', (code) => {
    backends.delete(backend);
    if (headersSent) {
      res.end();
    } else if (!res.headersSent) {
      const reason = Buffer.concat(stderr).toString('utf8').trim();
      res.writeHead(500).end(`git http-backend exited with ${code}: ${reason}`);
    }
  });
}

function parseCgiHeaders(text: string): { status: number; headers: Record<string, string> } {
  let status = 200;
  const headers: Record<string, string> = {};
  for (const line of text.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    if (name.toLowerCase() === 'status') status = Number.parseInt(value, 10) || 500;
    else headers[name] = value;
  }
  return { status, headers };
}
