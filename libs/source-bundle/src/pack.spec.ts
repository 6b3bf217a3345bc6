import {
  chmod,
  mkdir,
  mkdtemp,
  readFile,
  rm,
  stat,
  symlink,
  utimes,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { text } from 'node:stream/consumers';
import { Parser, type ReadEntry } from 'tar';
import { BundleRejection, extractBundle, packDirectory } from './index';
import { streamOf } from './test-support/archives';

let root: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'slipway-pack-'));
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function bytesOf(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks);
}

async function entriesOf(archive: Buffer): Promise<string[]> {
  const paths: string[] = [];
  const parser = new Parser({
    onReadEntry: (entry: ReadEntry) => {
      paths.push(`${entry.type}:${entry.path}`);
      entry.resume();
    },
  });
  await new Promise<void>((resolve, reject) => {
    parser.on('end', resolve);
    parser.on('error', reject);
    parser.end(archive);
  });
  return paths;
}

async function makeContext(dir: string): Promise<void> {
  await mkdir(join(dir, 'www/css'), { recursive: true });
  await mkdir(join(dir, 'empty'));
  await writeFile(join(dir, 'Dockerfile'), 'FROM scratch\n');
  await writeFile(join(dir, 'www/index.html'), '<h1>hi</h1>');
  await writeFile(join(dir, 'www/css/site.css'), 'body{}');
  await writeFile(join(dir, 'run.sh'), '#!/bin/sh\n');
  await chmod(join(dir, 'run.sh'), 0o755);
}

describe('packDirectory', () => {
  it('is reproducible: the same tree gives the same bytes, whatever the mtimes', async () => {
    const dir = join(root, 'ctx');
    await makeContext(dir);
    const first = await bytesOf(packDirectory(dir));
    await utimes(join(dir, 'www/index.html'), new Date(2001, 1, 1), new Date(2001, 1, 1));
    const second = await bytesOf(packDirectory(dir));

    expect(first.subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
    expect(second.equals(first)).toBe(true);
  });

  it('lists a directory before its children, in sorted order, empty directories included', async () => {
    const dir = join(root, 'ctx');
    await makeContext(dir);
    const { gunzipSync } = await import('node:zlib');

    const entries = await entriesOf(gunzipSync(await bytesOf(packDirectory(dir))));

    expect(entries).toEqual([
      'File:Dockerfile',
      'Directory:empty/',
      'File:run.sh',
      'Directory:www/',
      'Directory:www/css/',
      'File:www/css/site.css',
      'File:www/index.html',
    ]);
  });

  it('round-trips through extractBundle with contents and the executable bit', async () => {
    const dir = join(root, 'ctx');
    const out = join(root, 'out');
    await makeContext(dir);
    await mkdir(out);

    const summary = await extractBundle(streamOf(await bytesOf(packDirectory(dir))), out);

    expect([...summary.paths].sort()).toEqual([
      'Dockerfile',
      'run.sh',
      'www/css/site.css',
      'www/index.html',
    ]);
    expect(await readFile(join(out, 'www/css/site.css'), 'utf8')).toBe('body{}');
    expect((await stat(join(out, 'run.sh'))).mode & 0o777).toBe(0o755);
    expect((await stat(join(out, 'Dockerfile'))).mode & 0o777).toBe(0o644);
  });

  it('leaves out excluded paths, and brings back a file inside an excluded directory unless pruned', async () => {
    const dir = join(root, 'ctx');
    await makeContext(dir);
    const { gunzipSync } = await import('node:zlib');
    const exclude = (path: string): boolean => path.startsWith('www') && path !== 'www/index.html';

    const walked = await entriesOf(gunzipSync(await bytesOf(packDirectory(dir, { exclude }))));
    const pruned = await entriesOf(
      gunzipSync(await bytesOf(packDirectory(dir, { exclude, pruneExcluded: true }))),
    );

    expect(walked).toEqual([
      'File:Dockerfile',
      'Directory:empty/',
      'File:run.sh',
      'File:www/index.html',
    ]);
    expect(pruned).toEqual(['File:Dockerfile', 'Directory:empty/', 'File:run.sh']);
  });

  it('refuses a symbolic link that is not excluded, naming it', async () => {
    const dir = join(root, 'ctx');
    await makeContext(dir);
    await symlink('/etc/passwd', join(dir, 'www/passwd'));

    await expect(text(packDirectory(dir))).rejects.toMatchObject({
      code: BundleRejection.Link,
      entry: 'www/passwd',
    });
    const { gunzipSync } = await import('node:zlib');
    const kept = await entriesOf(
      gunzipSync(await bytesOf(packDirectory(dir, { exclude: (path) => path === 'www/passwd' }))),
    );
    expect(kept).not.toContain('SymbolicLink:www/passwd');
  });

  it('fails the stream when the directory does not exist', async () => {
    await expect(text(packDirectory(join(root, 'missing')))).rejects.toThrow(/ENOENT/);
  });
});
