/**
 * cloneRepository against a real git smart-HTTP server (`git http-backend` behind a
 * loopback server, from @slipway/api-testing): public and private repositories, each way a
 * clone fails, the time and size limits, links, and URLs git must never be handed.
 */
import type { SpawnOptions } from 'node:child_process';
import { existsSync } from 'node:fs';
import { lstat, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type GitServer, startGitServer } from '@slipway/api-testing';
import { type GitCredentials, type GitSource, GitSourceSchema } from '@slipway/contracts';
import { DEFAULT_BUNDLE_LIMITS } from '@slipway/source-bundle';
import { BuildFailedError, type BuildLogSink } from '../drivers/build-driver';
import { type CloneOptions, cloneRepository } from './clone-repository';

// The module object the code under test calls into, so `spawn` can be watched.
const childProcess = jest.requireActual<typeof import('node:child_process')>('node:child_process');

const TOKEN = 'ghp_slipwayTestToken0123456789abcdef';
const CREDENTIALS: GitCredentials = { username: 'x-access-token', password: TOKEN };
const TOKEN_BASIC = Buffer.from(`x-access-token:${TOKEN}`).toString('base64');

let publicServer: GitServer;
let privateServer: GitServer;
let root: string;
let counter = 0;

beforeAll(async () => {
  [publicServer, privateServer] = await Promise.all([
    startGitServer(),
    startGitServer({ auth: { username: 'x-access-token', password: TOKEN } }),
  ]);
  root = await mkdtemp(join(tmpdir(), 'slipway-clone-spec-'));
  await publicServer.createRepo('app', {
    Dockerfile: 'FROM scratch\nCOPY . /app\n',
    'src/index.html': '<h1>hello</h1>',
  });
  await privateServer.createRepo('secret', { Dockerfile: 'FROM scratch\n' });
});

afterAll(async () => {
  await Promise.all([publicServer.close(), privateServer.close()]);
  await rm(root, { recursive: true, force: true });
});

class RecordingLog implements BuildLogSink {
  readonly lines: string[] = [];
  write(line: string): void {
    this.lines.push(line);
  }
}

function target(): string {
  counter += 1;
  return join(root, `checkout-${counter}`);
}

function options(overrides: Partial<CloneOptions> = {}): CloneOptions {
  return {
    timeoutMs: 30_000,
    limits: {
      maxBytes: DEFAULT_BUNDLE_LIMITS.maxExtractedBytes,
      maxFiles: DEFAULT_BUNDLE_LIMITS.maxFiles,
    },
    signal: new AbortController().signal,
    log: new RecordingLog(),
    ...overrides,
  };
}

async function failureOf(promise: Promise<unknown>): Promise<BuildFailedError> {
  const error: unknown = await promise.then(
    () => new Error('expected the clone to fail'),
    (e: unknown) => e,
  );
  if (!(error instanceof BuildFailedError)) throw error;
  return error;
}

describe('cloneRepository', () => {
  it('clones the branch head, returns its sha and subject, and removes .git', async () => {
    const sha = await publicServer.push(
      'app',
      { 'src/index.html': '<h1>second</h1>' },
      '  Second commit  \n\nWith a body that is not part of the subject.',
    );
    const dir = target();
    const log = new RecordingLog();

    const cloned = await cloneRepository(
      { url: publicServer.url('app'), branch: 'main' },
      undefined,
      dir,
      options({ log }),
    );

    expect(cloned.sha).toBe(sha);
    expect(cloned.message).toBe('Second commit');
    expect((await readdir(dir)).sort()).toEqual(['Dockerfile', 'src']);
    expect(await readFile(join(dir, 'src/index.html'), 'utf8')).toBe('<h1>second</h1>');
    expect([...cloned.summary.paths].sort()).toEqual(['Dockerfile', 'src/index.html']);
    expect(cloned.summary).toMatchObject({ files: 2, directories: 1 });
    expect(log.lines).toEqual([
      `cloning ${publicServer.url('app')} (branch main)`,
      `checked out ${sha.slice(0, 7)} Second commit`,
    ]);
  });

  it('clones another branch than the default one', async () => {
    const sha = await publicServer.push('app', { 'release.txt': 'v2' }, 'release 2', 'release/2');
    const dir = target();

    const cloned = await cloneRepository(
      { url: publicServer.url('app'), branch: 'release/2' },
      undefined,
      dir,
      options(),
    );

    expect(cloned).toMatchObject({ sha, message: 'release 2' });
    expect(await readFile(join(dir, 'release.txt'), 'utf8')).toBe('v2');
  });

  it('clones a private repository with its token, sent in a header and never in argv', async () => {
    const spawn = jest.spyOn(childProcess, 'spawn');
    const dir = target();

    const cloned = await cloneRepository(
      { url: privateServer.url('secret'), branch: 'main' },
      CREDENTIALS,
      dir,
      options(),
    );

    expect(cloned.message).toBe('initial commit');
    expect(await readFile(join(dir, 'Dockerfile'), 'utf8')).toBe('FROM scratch\n');
    expect(privateServer.requests.at(-1)?.authorization).toBe(`Basic ${TOKEN_BASIC}`);
    const runs = spawn.mock.calls.map(([command, args, spawnOptions]) => ({
      command,
      args: [...(args ?? [])],
      env: (spawnOptions as SpawnOptions | undefined)?.env ?? {},
    }));
    const gitRuns = runs.filter((r) => r.command === 'git' && r.args[0] !== 'http-backend');
    expect(gitRuns.map((r) => (r.args[0] === '--no-pager' ? 'log' : r.args[0]))).toEqual([
      'clone',
      'log',
    ]);
    for (const run of gitRuns) {
      expect(run.args.join(' ')).not.toContain(TOKEN);
      expect(run.args.join(' ')).not.toContain(TOKEN_BASIC);
      expect(run.env).toMatchObject({
        GIT_TERMINAL_PROMPT: '0',
        GIT_CONFIG_NOSYSTEM: '1',
        GIT_CONFIG_GLOBAL: '/dev/null',
        GIT_ASKPASS: '',
      });
      expect(run.env.REDIS_URL).toBeUndefined();
      expect(Object.values(run.env)).toContain(`Authorization: Basic ${TOKEN_BASIC}`);
    }
    expect(gitRuns[0]?.args).toEqual([
      'clone',
      '--depth',
      '1',
      '--single-branch',
      '--branch',
      'main',
      '--no-tags',
      '--template=',
      '--',
      privateServer.url('secret'),
      dir,
    ]);
    spawn.mockRestore();
  });

  it('says the repository is private when no token was given', async () => {
    const url = privateServer.url('secret');
    const error = await failureOf(
      cloneRepository({ url, branch: 'main' }, undefined, target(), options()),
    );
    expect(error.reason).toBe(
      `authentication to ${url} failed: the repository is private and no token was given`,
    );
  });

  it('says the token was refused, without showing it in the reason or the log', async () => {
    const url = privateServer.url('secret');
    const wrong: GitCredentials = { username: 'x-access-token', password: `${TOKEN}-revoked` };
    const log = new RecordingLog();

    const error = await failureOf(
      cloneRepository({ url, branch: 'main' }, wrong, target(), options({ log })),
    );

    expect(error.reason).toBe(`authentication to ${url} failed: the token was refused`);
    const shown = [error.message, error.reason, String(error.stack), ...log.lines].join('\n');
    expect(shown).not.toContain(TOKEN);
    expect(shown).not.toContain(Buffer.from(`x-access-token:${wrong.password}`).toString('base64'));
    expect(log.lines).toEqual([`cloning ${url} (branch main)`]);
  });

  it('says when the repository does not exist', async () => {
    const url = publicServer.url('missing');
    const error = await failureOf(
      cloneRepository({ url, branch: 'main' }, undefined, target(), options()),
    );
    expect(error.reason).toBe(`repository ${url} not found (HTTP 404), or the token cannot see it`);
  });

  it('says when the branch does not exist', async () => {
    const url = publicServer.url('app');
    const error = await failureOf(
      cloneRepository({ url, branch: 'no-such-branch' }, undefined, target(), options()),
    );
    expect(error.reason).toBe(`branch 'no-such-branch' not found in ${url}`);
  });

  it('says when the host cannot be reached', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const url = `http://127.0.0.1:${port}/acme/app.git`;

    const error = await failureOf(
      cloneRepository({ url, branch: 'main' }, undefined, target(), options()),
    );

    expect(error.reason).toMatch(
      new RegExp(
        `^could not reach 127\\.0\\.0\\.1:${port}: Failed to connect to 127\\.0\\.0\\.1 port ${port}`,
      ),
    );
  });

  it('gives up after the timeout, killing git, when the server never answers', async () => {
    const hanging = await startGitServer();
    try {
      await hanging.createRepo('slow', { Dockerfile: 'FROM scratch\n' });
      hanging.hang();
      const url = hanging.url('slow');
      const dir = target();
      const started = Date.now();

      const error = await failureOf(
        cloneRepository({ url, branch: 'main' }, undefined, dir, options({ timeoutMs: 1500 })),
      );

      expect(error.reason).toBe(`cloning ${url} timed out after 1.5 s`);
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(gitProcessesFor(dir)).toEqual([]);
    } finally {
      await hanging.close();
    }
  });

  it("stops when the build's signal aborts, with the signal's reason", async () => {
    const hanging = await startGitServer();
    try {
      await hanging.createRepo('slow', { Dockerfile: 'FROM scratch\n' });
      hanging.hang();
      const controller = new AbortController();
      const dir = target();
      setTimeout(() => controller.abort(new Error('build timed out after 1 s')), 500);

      await expect(
        cloneRepository(
          { url: hanging.url('slow'), branch: 'main' },
          undefined,
          dir,
          options({ signal: controller.signal }),
        ),
      ).rejects.toThrow('build timed out after 1 s');
      expect(gitProcessesFor(dir)).toEqual([]);
    } finally {
      await hanging.close();
    }
  });

  it('fails when the checkout holds more bytes than the limit', async () => {
    await publicServer.createRepo('large', {
      Dockerfile: 'FROM scratch\n',
      'blob.bin': 'x'.repeat(5000),
    });
    const url = publicServer.url('large');

    const error = await failureOf(
      cloneRepository(
        { url, branch: 'main' },
        undefined,
        target(),
        options({ limits: { maxBytes: 4096, maxFiles: 100 } }),
      ),
    );

    expect(error.reason).toBe(
      `the repository ${url} holds 4.9 KiB of files, more than the 4 KiB limit (SLIPWAY_BUNDLE_MAX_EXTRACTED_BYTES)`,
    );
  });

  it('fails when the checkout holds more files than the limit', async () => {
    await publicServer.createRepo('many', {
      Dockerfile: 'FROM scratch\n',
      'a/1': '1',
      'a/2': '2',
      'b/3': '3',
    });
    const url = publicServer.url('many');

    const error = await failureOf(
      cloneRepository(
        { url, branch: 'main' },
        undefined,
        target(),
        options({ limits: { maxBytes: 1 << 20, maxFiles: 5 } }),
      ),
    );

    expect(error.reason).toBe(
      `the repository ${url} has more than 5 files and directories, the limit (SLIPWAY_BUNDLE_MAX_FILES)`,
    );
  });

  it('checks symbolic links out as plain files holding the target path', async () => {
    await publicServer.createRepo('linked', {
      Dockerfile: { symlink: '/etc/hostname' },
      'docs/readme': { symlink: '../Dockerfile' },
    });
    const dir = target();

    const cloned = await cloneRepository(
      { url: publicServer.url('linked'), branch: 'main' },
      undefined,
      dir,
      options(),
    );

    expect((await lstat(join(dir, 'Dockerfile'))).isFile()).toBe(true);
    expect(await readFile(join(dir, 'Dockerfile'), 'utf8')).toBe('/etc/hostname');
    expect((await lstat(join(dir, 'docs/readme'))).isFile()).toBe(true);
    expect([...cloned.summary.paths].sort()).toEqual(['Dockerfile', 'docs/readme']);
  });

  it.each([
    ['an ext:: transport', `ext::sh -c touch% ${join(tmpdir(), 'slipway-pwned-ext')}`],
    ['an option', `--upload-pack=touch ${join(tmpdir(), 'slipway-pwned-option')}`],
    ['a leading dash', '-uhttp://127.0.0.1/app.git'],
    ['a file URL', 'file:///etc'],
    ['an ssh URL', 'ssh://git@github.com/acme/app.git'],
  ])('never hands git a URL with %s (the schema refuses it too)', async (_kind, url) => {
    const spawn = jest.spyOn(childProcess, 'spawn');
    const source = { url, branch: 'main' } as GitSource;
    expect(GitSourceSchema.safeParse(source).success).toBe(false);

    const error = await failureOf(cloneRepository(source, undefined, target(), options()));

    expect(error.reason).toMatch(/^cannot clone '.*': the repository URL must be /);
    expect(spawn).not.toHaveBeenCalled();
    expect(existsSync(join(tmpdir(), 'slipway-pwned-ext'))).toBe(false);
    expect(existsSync(join(tmpdir(), 'slipway-pwned-option'))).toBe(false);
    spawn.mockRestore();
  });

  it('never hands git a branch that reads as an option', async () => {
    const url = publicServer.url('app');
    const error = await failureOf(
      cloneRepository({ url, branch: '--upload-pack=touch' }, undefined, target(), options()),
    );
    expect(error.reason).toBe(
      `cannot clone ${url}: branch '--upload-pack=touch' is not a valid branch name`,
    );
  });
});

/** git processes still running whose command line names `dir`. */
function gitProcessesFor(dir: string): string[] {
  return childProcess
    .execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => line.includes(dir) && line.includes('git'));
}
