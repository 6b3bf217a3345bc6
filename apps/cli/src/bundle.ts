/**
 * Packs a source directory for `service deploy --source`: what `docker build` would send
 * (the context minus `.dockerignore`, plus the Dockerfile), as a reproducible gzip tar.
 */
import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { pipeline } from 'node:stream/promises';
import ignore from '@balena/dockerignore';
import { BundleRejectedError, normalizeBundlePath, packDirectory } from '@slipway/source-bundle';
import { CliError } from './errors';

export interface PackedSource {
  readonly file: string;
  readonly sizeBytes: number;
  /** Removes the temporary archive. */
  dispose(): Promise<void>;
}

export interface SourceLayout {
  readonly dir: string;
  /** Bundle path of the Dockerfile (relative to `dir`). */
  readonly dockerFile: string;
  /** Bundle path of the build context (relative to `dir`; `.` is the whole directory). */
  readonly dockerContext: string;
}

async function isDirectory(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isDirectory() ?? false;
}

async function isFile(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isFile() ?? false;
}

function bundlePath(field: string, path: string): string {
  try {
    return normalizeBundlePath(field, path);
  } catch (error) {
    if (error instanceof BundleRejectedError) throw new CliError(error.reason);
    throw error;
  }
}

/**
 * Which paths stay out: anything outside the context but the Dockerfile (the build cannot
 * reach it), and what the context's `.dockerignore` excludes (the Dockerfile and
 * `.dockerignore` themselves are always sent, as Docker does).
 */
async function exclusions(layout: SourceLayout): Promise<{
  exclude: (path: string) => boolean;
  pruneExcluded: boolean;
}> {
  const context = layout.dockerContext === '.' ? '' : layout.dockerContext;
  const patterns = (
    await readFile(join(layout.dir, context, '.dockerignore'), 'utf8').catch(() => '')
  )
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  const ignored = ignore().add(patterns);
  const always = new Set([layout.dockerFile, posix.join(context, '.dockerignore')]);
  const inside = (path: string): string | undefined => {
    if (context === '') return path;
    return path.startsWith(`${context}/`) ? path.slice(context.length + 1) : undefined;
  };
  return {
    exclude: (path) => {
      if (always.has(path) || layout.dockerFile.startsWith(`${path}/`)) return false;
      if (context !== '' && (context === path || context.startsWith(`${path}/`))) return false;
      const relative = inside(path);
      return relative === undefined || ignored.ignores(relative);
    },
    // Without `!` exceptions nothing inside an excluded directory can come back.
    pruneExcluded: !patterns.some((pattern) => pattern.startsWith('!')),
  };
}

/** Checks the layout, then packs it into a temporary file; the caller disposes of it. */
export async function packSource(input: SourceLayout): Promise<PackedSource> {
  if (!(await isDirectory(input.dir))) {
    throw new CliError(`${input.dir} is not a directory`);
  }
  const layout: SourceLayout = {
    dir: input.dir,
    dockerFile: bundlePath('--docker-file', input.dockerFile),
    dockerContext:
      input.dockerContext === '.' ? '.' : bundlePath('--docker-context', input.dockerContext),
  };
  if (!(await isFile(join(layout.dir, layout.dockerFile)))) {
    throw new CliError(
      `no ${layout.dockerFile} in ${layout.dir}: a source deploy builds it (pass --docker-file, or deploy an image with --image)`,
    );
  }
  if (
    layout.dockerContext !== '.' &&
    !(await isDirectory(join(layout.dir, layout.dockerContext)))
  ) {
    throw new CliError(
      `the build context ${layout.dockerContext} is not a directory in ${layout.dir}`,
    );
  }
  const tempDir = await mkdtemp(join(tmpdir(), 'slipway-source-'));
  const file = join(tempDir, 'source.tar.gz');
  const dispose = (): Promise<void> => rm(tempDir, { recursive: true, force: true });
  try {
    await pipeline(packDirectory(layout.dir, await exclusions(layout)), createWriteStream(file));
  } catch (error) {
    await dispose();
    if (error instanceof BundleRejectedError)
      throw new CliError(`cannot pack ${layout.dir}: ${error.reason}`);
    throw error;
  }
  return { file, sizeBytes: (await stat(file)).size, dispose };
}
