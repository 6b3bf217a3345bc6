import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { gzipSync } from 'node:zlib';
import { BundleRejectedError, BundleRejection, extractBundle, inspectBundle } from './index';
import { DOCKERFILE, entryBlocks, rawTar, streamOf, tarGz } from './test-support/archives';
import { maliciousBundles } from './test-support/malicious-bundles';

/** A fresh root holding the extraction target and, beside it, a directory to attack. */
interface Sandbox {
  root: string;
  dest: string;
  outside: string;
}

let sandbox: Sandbox;

beforeEach(async () => {
  const root = await mkdtemp(join(tmpdir(), 'slipway-extract-'));
  sandbox = { root, dest: join(root, 'dest'), outside: join(root, 'outside') };
  await mkdir(sandbox.dest);
  await mkdir(sandbox.outside);
  await writeFile(join(sandbox.outside, 'keep.txt'), 'sentinel');
});

afterEach(async () => {
  await rm(sandbox.root, { recursive: true, force: true });
});

async function rejectionOf(promise: Promise<unknown>): Promise<BundleRejectedError> {
  const error: unknown = await promise.then(
    () => new Error('expected the bundle to be rejected'),
    (e: unknown) => e,
  );
  if (!(error instanceof BundleRejectedError)) throw error;
  return error;
}

async function expectNothingLeftBehind(): Promise<void> {
  expect(await readdir(sandbox.dest)).toEqual([]);
  expect((await readdir(sandbox.root)).sort()).toEqual(['dest', 'outside']);
  expect(await readdir(sandbox.outside)).toEqual(['keep.txt']);
  expect(await readFile(join(sandbox.outside, 'keep.txt'), 'utf8')).toBe('sentinel');
}

const mode = async (path: string): Promise<number> => (await stat(path)).mode & 0o7777;

describe('extractBundle', () => {
  it('extracts nested directories, keeps the executable bit and drops unsafe mode bits', async () => {
    const archive = tarGz([
      { path: 'Dockerfile', body: DOCKERFILE, mode: 0o600 },
      { path: 'app/', type: 'Directory', mode: 0o700 },
      { path: 'app/src/deep/nested/index.html', body: '<h1>deep</h1>' },
      { path: 'app/bin/start.sh', body: '#!/bin/sh\necho hi\n', mode: 0o750 },
      { path: 'app/bin/setuid', body: 'x', mode: 0o4777 },
      { path: `${'long-directory-name/'.repeat(6)}file.txt`, body: 'long' },
    ]);

    const summary = await extractBundle(streamOf(archive, 700), sandbox.dest);

    const at = (path: string): string => join(sandbox.dest, path);
    expect(await readFile(at('Dockerfile'), 'utf8')).toBe(DOCKERFILE);
    expect(await readFile(at('app/src/deep/nested/index.html'), 'utf8')).toBe('<h1>deep</h1>');
    expect(await readFile(at(`${'long-directory-name/'.repeat(6)}file.txt`), 'utf8')).toBe('long');
    expect(await mode(at('Dockerfile'))).toBe(0o644);
    expect(await mode(at('app/bin/start.sh'))).toBe(0o755);
    expect(await mode(at('app/bin/setuid'))).toBe(0o755);
    expect(await mode(at('app'))).toBe(0o755);
    expect(await mode(at('app/src/deep'))).toBe(0o755);
    expect(summary.paths.has('Dockerfile')).toBe(true);
    expect(summary).toMatchObject({ files: 5, directories: 11 });
    expect(summary).toEqual(await inspectBundle(streamOf(archive)));
    expect((await readdir(sandbox.root)).sort()).toEqual(['dest', 'outside']);
  });

  describe('rejects without writing anything outside the destination, and cleans up', () => {
    const cases = maliciousBundles({ absolute: '/placeholder', relative: '../outside' });
    it.each(cases.map((c) => [c.name] as const))('%s', async (name) => {
      // Built again per test: the absolute-path case aims at this test's own sandbox.
      const bundle = maliciousBundles({
        absolute: sandbox.outside,
        relative: '../outside',
      }).find((c) => c.name === name);
      if (!bundle) throw new Error(`no case ${name}`);

      const error = await rejectionOf(
        extractBundle(streamOf(bundle.archive(), 1024), sandbox.dest, bundle.limits),
      );

      expect(error.code).toBe(bundle.code);
      if (typeof bundle.reason === 'string') expect(error.reason).toBe(bundle.reason);
      else expect(error.reason).toMatch(bundle.reason);
      await expectNothingLeftBehind();
    });
  });

  it('removes the files it had already written when a later entry is refused', async () => {
    const good = rawTar(
      [
        { path: 'Dockerfile', body: DOCKERFILE },
        { path: 'a/b.txt', body: 'b' },
      ],
      {
        end: false,
      },
    );
    const bad = Buffer.concat([
      entryBlocks({ path: 'evil', type: 'SymbolicLink', linkpath: '/etc/passwd' }),
      Buffer.alloc(1024),
    ]);
    const dest = sandbox.dest;
    // Stored (level 0) so the first part of the upload holds the good entries whole; the
    // rest is held back until they are on disk.
    const stored = gzipSync(Buffer.concat([good, bad]), { level: 0 });
    async function* storedUpload(): AsyncGenerator<Buffer> {
      yield stored.subarray(0, good.length);
      // Until the good entries are on disk: however long a loaded machine takes to write them.
      const deadline = Date.now() + 20_000;
      while (!existsSync(join(dest, 'a/b.txt')) && Date.now() < deadline) await sleep(10);
      expect(existsSync(join(dest, 'Dockerfile'))).toBe(true);
      yield stored.subarray(good.length);
    }

    const error = await rejectionOf(extractBundle(Readable.from(storedUpload()), dest));

    expect(error.code).toBe(BundleRejection.Link);
    await expectNothingLeftBehind();
  }, 30_000);

  it('refuses an entry that cannot be written (its parent is a file) and cleans up', async () => {
    const archive = tarGz([
      { path: 'Dockerfile', body: DOCKERFILE },
      { path: 'Dockerfile/inner.txt', body: 'x' },
    ]);

    const error = await rejectionOf(extractBundle(streamOf(archive), sandbox.dest));

    expect(error).toMatchObject({
      code: BundleRejection.CorruptArchive,
      reason: "entry 'Dockerfile/inner.txt' could not be extracted (EEXIST)",
    });
    await expectNothingLeftBehind();
  });

  it('refuses a destination that is not empty, and leaves its contents alone', async () => {
    await writeFile(join(sandbox.dest, 'mine.txt'), 'keep me');
    await expect(
      extractBundle(streamOf(tarGz([{ path: 'Dockerfile', body: DOCKERFILE }])), sandbox.dest),
    ).rejects.toThrow(`extractBundle: ${sandbox.dest} is not empty`);
    expect(await readdir(sandbox.dest)).toEqual(['mine.txt']);
  });

  it('refuses a destination that does not exist', async () => {
    const missing = join(sandbox.root, 'missing');
    await expect(
      extractBundle(streamOf(tarGz([{ path: 'Dockerfile', body: DOCKERFILE }])), missing),
    ).rejects.toThrow(`extractBundle: ${missing} is not a directory`);
    expect(existsSync(missing)).toBe(false);
  });
});
