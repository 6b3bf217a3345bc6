import { readdir, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Transform } from 'node:stream';
import { type ReadEntry, Unpack } from 'tar';
import { BundleReader } from './bundle-reader';
import type { BundleSummary } from './entry-policy';
import { type BundleLimits, DEFAULT_BUNDLE_LIMITS } from './limits';

/** Modes are normalized by the entry policy; this umask makes them exact on disk. */
const UMASK = 0o022;

/**
 * Extracts a .tar.gz stream into `destDir` (which must exist and be empty) with node-tar's
 * protections (no absolute paths, no `..`, strict, no chown) plus the bundle policy: only
 * regular files and directories (no links, devices or FIFOs), within the limits, modes
 * reduced to 0755/0644. Throws BundleRejectedError; on any failure it removes what it wrote.
 */
export async function extractBundle(
  input: NodeJS.ReadableStream,
  destDir: string,
  limits: BundleLimits = DEFAULT_BUNDLE_LIMITS,
): Promise<BundleSummary> {
  const cwd = resolve(destDir);
  await assertEmptyDirectory(cwd);
  const reader = new BundleReader(limits);
  const unpack = new Unpack({
    cwd,
    strict: true,
    brotli: false,
    zstd: false,
    preservePaths: false,
    preserveOwner: false,
    noMtime: true,
    chmod: true,
    umask: UMASK,
    processUmask: UMASK,
    dmode: 0o755,
    fmode: 0o644,
    filter: reader.filter,
    transform: (entry: ReadEntry) => meter(entry, reader),
  });
  try {
    return await reader.read(input, unpack);
  } catch (error) {
    await emptyDirectory(cwd);
    throw error;
  }
}

/** Passes a file's content through to disk, counting what is actually written. */
function meter(entry: ReadEntry, reader: BundleReader): ReadEntry {
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      if (reader.countBody(entry, chunk.length)) callback(null, chunk);
      else callback(new Error(`entry '${entry.path}' exceeds the bundle limits`));
    },
  });
  // node-tar pipes the entry into what `transform` returns and writes what comes out.
  return counter as unknown as ReadEntry;
}

async function assertEmptyDirectory(dir: string): Promise<void> {
  const info = await stat(dir).catch(() => undefined);
  if (!info?.isDirectory()) throw new Error(`extractBundle: ${dir} is not a directory`);
  const children = await readdir(dir);
  if (children.length > 0) throw new Error(`extractBundle: ${dir} is not empty`);
}

async function emptyDirectory(dir: string): Promise<void> {
  const children = await readdir(dir).catch(() => []);
  await Promise.all(
    children.map((child) => rm(join(dir, child), { recursive: true, force: true, maxRetries: 3 })),
  );
}
