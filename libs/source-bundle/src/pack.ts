import { readdir } from 'node:fs/promises';
import { posix } from 'node:path';
import { PassThrough } from 'node:stream';
import { create } from 'tar';
import { BundleRejectedError, BundleRejection } from './errors';

export interface PackOptions {
  /**
   * Keeps a path (relative, posix) out of the archive, as `.dockerignore` does. Excluded
   * directories are still walked unless `pruneExcluded`, so an exception can bring back a
   * file inside one (a `!` pattern).
   */
  readonly exclude?: (path: string) => boolean;
  /** Skip excluded directories entirely (nothing inside can come back). */
  readonly pruneExcluded?: boolean;
}

/**
 * Packs a directory into a gzip tar stream reproducibly: sorted entries, no mtimes, no
 * owners (node-tar `portable`), so the same tree always gives the same bytes. Used to feed
 * a build context to the Docker Engine and by the CLI to upload a source bundle. A link,
 * device or socket that is not excluded fails the stream with a BundleRejectedError:
 * bundles hold regular files and directories only.
 */
export function packDirectory(dir: string, options: PackOptions = {}): NodeJS.ReadableStream {
  const output = new PassThrough();
  listSorted(dir, '', options).then(
    (entries) => {
      const pack = create(
        { cwd: dir, gzip: true, portable: true, noMtime: true, noDirRecurse: true, strict: true },
        entries,
      );
      pack.on('error', (error: unknown) => output.destroy(error as Error));
      pack.pipe(output);
    },
    (error: Error) => output.destroy(error),
  );
  return output;
}

/** Every kept path under `dir`, relative and posix, a directory before its sorted children. */
async function listSorted(dir: string, prefix: string, options: PackOptions): Promise<string[]> {
  const children = await readdir(prefix ? posix.join(dir, prefix) : dir, { withFileTypes: true });
  children.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const paths: string[] = [];
  for (const child of children) {
    const path = prefix ? `${prefix}/${child.name}` : child.name;
    const excluded = options.exclude?.(path) ?? false;
    if (child.isDirectory()) {
      if (!excluded) paths.push(path);
      if (!excluded || !options.pruneExcluded)
        paths.push(...(await listSorted(dir, path, options)));
    } else if (!excluded) {
      if (!child.isFile()) throw unsupported(path, child.isSymbolicLink());
      paths.push(path);
    }
  }
  return paths;
}

function unsupported(path: string, link: boolean): BundleRejectedError {
  return link
    ? new BundleRejectedError(
        BundleRejection.Link,
        `${path} is a symbolic link; bundles hold regular files only (exclude it or copy the file it points to)`,
        path,
      )
    : new BundleRejectedError(
        BundleRejection.DeviceFile,
        `${path} is not a regular file or directory (device, socket or pipe); exclude it`,
        path,
      );
}
