/**
 * Walks a checked-out repository (its `.git` already removed) within the same limits an
 * extracted bundle has, and describes it as a bundle summary, so the build context is
 * prepared exactly as for a bundle (Dockerfile checks, lookalike hints).
 */
import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { type BundleSummary, formatBytes } from '@slipway/source-bundle';
import { BuildFailedError } from '../drivers/build-driver';

export interface CheckoutLimits {
  /** Largest total of the files' sizes (SLIPWAY_BUNDLE_MAX_EXTRACTED_BYTES). */
  readonly maxBytes: number;
  /** Most entries, files and directories (SLIPWAY_BUNDLE_MAX_FILES). */
  readonly maxFiles: number;
}

/**
 * The summary of the tree under `dir`. Throws BuildFailedError when it holds more than the
 * limits allow, or an entry that is neither a file nor a directory (git checks symbolic
 * links out as plain files here: `core.symlinks=false`).
 */
export async function summarizeCheckout(
  dir: string,
  limits: CheckoutLimits,
  url: string,
): Promise<BundleSummary> {
  const paths = new Set<string>();
  let directories = 0;
  let totalBytes = 0;
  const pending = [''];
  for (let prefix = pending.pop(); prefix !== undefined; prefix = pending.pop()) {
    const entries = await readdir(prefix === '' ? dir : join(dir, prefix), {
      withFileTypes: true,
    });
    for (const entry of entries) {
      const path = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
      if (paths.size + directories >= limits.maxFiles) {
        throw new BuildFailedError(
          `the repository ${url} has more than ${limits.maxFiles} files and directories, the limit (SLIPWAY_BUNDLE_MAX_FILES)`,
        );
      }
      if (entry.isDirectory()) {
        directories += 1;
        pending.push(path);
      } else if (entry.isFile()) {
        paths.add(path);
        totalBytes += (await lstat(join(dir, path))).size;
      } else {
        throw new BuildFailedError(
          `'${path}' in ${url} is not a regular file or directory; a build context holds files only`,
        );
      }
    }
  }
  if (totalBytes > limits.maxBytes) {
    throw new BuildFailedError(
      `the repository ${url} holds ${formatBytes(totalBytes)} of files, more than the ${formatBytes(limits.maxBytes)} limit (SLIPWAY_BUNDLE_MAX_EXTRACTED_BYTES)`,
    );
  }
  return { files: paths.size, directories, totalBytes, paths };
}
