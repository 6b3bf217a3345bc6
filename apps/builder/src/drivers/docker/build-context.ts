/**
 * Turns a bundle (or a repository's checkout, described the same way) and the deploy's
 * docker.file / docker.context into what the Engine's build API needs: a context (the bundle
 * as it is, or a directory) and a Dockerfile path relative to it.
 */
import { constants } from 'node:fs';
import { access, copyFile, lstat } from 'node:fs/promises';
import { join, posix } from 'node:path';
import type { BuildJobPayload } from '@slipway/contracts';
import {
  BundleRejectedError,
  type BundleSummary,
  normalizeBundlePath,
} from '@slipway/source-bundle';
import { BuildFailedError } from '../build-driver';

export interface BuildContext {
  /** What to send to the Engine: a directory to pack, or the validated bundle file as it is. */
  send: { readonly dir: string } | { readonly archive: string };
  /** The Dockerfile, relative to `contextDir` (posix). */
  dockerfile: string;
  /** The user's paths, normalized, for log lines and reasons. */
  contextPath: string;
  dockerfilePath: string;
}

/** Name a Dockerfile from outside the context is copied in under (a suffix if taken). */
export const COPIED_DOCKERFILE_NAME = '.slipway.Dockerfile';

/** Where the files come from, as reasons name it. */
export type SourceKind = 'bundle' | 'repository';
const SOURCE_NAMES: Readonly<Record<SourceKind, string>> = {
  bundle: 'the source bundle',
  repository: 'the repository',
};

/** The user's paths, normalized; throws when the Dockerfile is not in the bundle. */
function checkedPaths(
  summary: BundleSummary,
  docker: BuildJobPayload['docker'],
  source: SourceKind,
): { contextPath: string; dockerfilePath: string } {
  const contextPath = checkedPath('docker.context', docker.context);
  const dockerfilePath = checkedPath('docker.file', docker.file);
  if (!summary.paths.has(dockerfilePath)) {
    throw new BuildFailedError(
      `Dockerfile '${dockerfilePath}' not found in ${SOURCE_NAMES[source]} (docker.file)${lookalikes(summary)}`,
    );
  }
  return { contextPath, dockerfilePath };
}

/**
 * The common layout, the whole bundle as the context: the bundle itself (already inspected
 * with the same rules extraction applies) is the context, with no extract and re-pack.
 * Other layouts need `prepareBuildContext`.
 */
export function isWholeBundle(context: string): boolean {
  return checkedPath('docker.context', context) === '.';
}

/** The build context for `isWholeBundle` layouts. */
export function wholeBundleContext(
  bundleFile: string,
  summary: BundleSummary,
  docker: BuildJobPayload['docker'],
): BuildContext {
  const { contextPath, dockerfilePath } = checkedPaths(summary, docker, 'bundle');
  return { send: { archive: bundleFile }, dockerfile: dockerfilePath, contextPath, dockerfilePath };
}

/** The build context in `bundleDir`: an extracted bundle, or a repository's checkout. */
export async function prepareBuildContext(
  bundleDir: string,
  summary: BundleSummary,
  docker: BuildJobPayload['docker'],
  source: SourceKind = 'bundle',
): Promise<BuildContext> {
  const { contextPath, dockerfilePath } = checkedPaths(summary, docker, source);
  const contextDir = contextPath === '.' ? bundleDir : join(bundleDir, contextPath);
  const info = await lstat(contextDir).catch(() => undefined);
  if (!info?.isDirectory()) {
    throw new BuildFailedError(
      `build context '${contextPath}' ${info ? 'is not a directory' : 'not found'} in ${SOURCE_NAMES[source]} (docker.context)`,
    );
  }

  const insideContext = contextPath === '.' || dockerfilePath.startsWith(`${contextPath}/`);
  if (insideContext) {
    const dockerfile =
      contextPath === '.' ? dockerfilePath : posix.relative(contextPath, dockerfilePath);
    return { send: { dir: contextDir }, dockerfile, contextPath, dockerfilePath };
  }
  // The Engine only reads a Dockerfile from inside the context it is sent.
  const dockerfile = await freeName(contextDir);
  await copyFile(join(bundleDir, dockerfilePath), join(contextDir, dockerfile));
  return { send: { dir: contextDir }, dockerfile, contextPath, dockerfilePath };
}

function checkedPath(field: string, path: string): string {
  try {
    return normalizeBundlePath(field, path);
  } catch (error) {
    if (error instanceof BundleRejectedError) throw new BuildFailedError(error.reason);
    throw error;
  }
}

/** A hint for a typo: files in the bundle whose name looks like a Dockerfile. */
function lookalikes(summary: BundleSummary): string {
  const candidates = [...summary.paths].filter((p) => /dockerfile/i.test(posix.basename(p)));
  if (candidates.length === 0) return '';
  const shown = candidates.sort().slice(0, 5).join(', ');
  return `; files that look like one: ${shown}${candidates.length > 5 ? ', …' : ''}`;
}

async function freeName(dir: string): Promise<string> {
  for (let i = 0; ; i += 1) {
    const name = i === 0 ? COPIED_DOCKERFILE_NAME : `.slipway-${i}.Dockerfile`;
    const taken = await access(join(dir, name), constants.F_OK).then(
      () => true,
      () => false,
    );
    if (!taken) return name;
  }
}
