import { readdir } from 'node:fs/promises';
import { posix } from 'node:path';
import { PassThrough } from 'node:stream';
import { create } from 'tar';

/**
 * Packs a directory into a gzip tar stream reproducibly: sorted entries, no mtimes, no
 * owners (node-tar `portable`), so the same tree always gives the same bytes. Used to feed
 * a build context to the Docker Engine.
 */
export function packDirectory(dir: string): NodeJS.ReadableStream {
  const output = new PassThrough();
  listSorted(dir).then(
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

/** Every path under `dir`, relative and posix, a directory before its sorted children. */
async function listSorted(dir: string, prefix = ''): Promise<string[]> {
  const children = await readdir(prefix ? posix.join(dir, prefix) : dir, { withFileTypes: true });
  children.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const paths: string[] = [];
  for (const child of children) {
    const path = prefix ? `${prefix}/${child.name}` : child.name;
    paths.push(path);
    if (child.isDirectory()) paths.push(...(await listSorted(dir, path)));
  }
  return paths;
}
