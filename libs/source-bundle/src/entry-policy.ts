/**
 * What an archive entry may be: a regular file or a directory at a safe relative path,
 * within the limits. One policy instance follows one archive from its first header to its
 * end and produces the summary.
 */
import { posix } from 'node:path';
import type { ReadEntry } from 'tar';
import { BundleRejectedError, BundleRejection } from './errors';
import { type BundleLimits, formatBytes } from './limits';
import { normalizeEntryPath } from './paths';

export interface BundleSummary {
  files: number;
  directories: number;
  /** Sum of the regular files' sizes. */
  totalBytes: number;
  /** Normalized relative file paths (posix), for checks like "does the Dockerfile exist". */
  paths: ReadonlySet<string>;
}

/** Modes written to disk: the executable bit survives, nothing else (no setuid, no sticky). */
const DIRECTORY_MODE = 0o755;
const EXECUTABLE_MODE = 0o755;
const FILE_MODE = 0o644;

const LINK_ADVICE =
  'links are not allowed in a source bundle (a build context never needs them: put the file itself in the bundle)';

export class EntryPolicy {
  private entries = 0;
  private declaredBytes = 0;
  private bodyBytes = 0;
  private readonly filePaths = new Set<string>();
  private readonly directoryPaths = new Set<string>();

  constructor(private readonly limits: BundleLimits) {}

  /**
   * Checks one entry from its header, before anything of it is written, and makes its
   * mode safe. Throws BundleRejectedError; returns the normalized path.
   */
  admit(entry: ReadEntry): string {
    const path = normalizeEntryPath(entry.path);
    const kind = classify(entry, path);
    this.entries += 1;
    if (this.entries > this.limits.maxFiles) {
      throw new BundleRejectedError(
        BundleRejection.TooManyFiles,
        `the bundle has more than ${this.limits.maxFiles} entries (files and directories), the limit`,
        entry.path,
      );
    }
    if (kind === 'directory') {
      entry.mode = DIRECTORY_MODE;
      if (path !== '.') this.addDirectory(path);
      return path;
    }
    if (path === '.') {
      throw new BundleRejectedError(
        BundleRejection.CorruptArchive,
        `entry '${entry.path}' is a file at the bundle root's own path`,
        entry.path,
      );
    }
    this.declaredBytes += entry.size;
    if (this.declaredBytes > this.limits.maxExtractedBytes) {
      throw new BundleRejectedError(
        BundleRejection.ExtractedTooLarge,
        `the bundle's files add up to more than ${formatBytes(this.limits.maxExtractedBytes)} once extracted, the limit (entry '${path}' declares ${formatBytes(entry.size)})`,
        entry.path,
      );
    }
    entry.mode = (entry.mode ?? 0) & 0o111 ? EXECUTABLE_MODE : FILE_MODE;
    this.filePaths.add(path);
    this.addDirectory(posix.dirname(path));
    return path;
  }

  /** Counts file content as it is read or written: the headers' sizes are not trusted alone. */
  countBody(bytes: number, entryPath: string): void {
    this.bodyBytes += bytes;
    if (this.bodyBytes > this.limits.maxExtractedBytes) {
      throw new BundleRejectedError(
        BundleRejection.ExtractedTooLarge,
        `the bundle's files hold more than ${formatBytes(this.limits.maxExtractedBytes)} once extracted, the limit (at entry '${entryPath}')`,
        entryPath,
      );
    }
  }

  /** The summary of a fully read archive; a bundle without a single file is refused. */
  summary(): BundleSummary {
    if (this.filePaths.size === 0) {
      throw new BundleRejectedError(BundleRejection.Empty, 'the bundle contains no files');
    }
    return {
      files: this.filePaths.size,
      directories: this.directoryPaths.size,
      totalBytes: this.declaredBytes,
      paths: this.filePaths,
    };
  }

  private addDirectory(path: string): void {
    for (let dir = path; dir !== '.' && !this.directoryPaths.has(dir); dir = posix.dirname(dir)) {
      this.directoryPaths.add(dir);
    }
  }
}

const FILE_TYPES: ReadonlySet<string> = new Set(['File', 'OldFile', 'ContiguousFile']);
const DEVICE_NAMES: Readonly<Record<string, string>> = {
  CharacterDevice: 'a character device',
  BlockDevice: 'a block device',
  FIFO: 'a FIFO (named pipe)',
};

function classify(entry: ReadEntry, path: string): 'file' | 'directory' {
  if (FILE_TYPES.has(entry.type)) return 'file';
  if (entry.type === 'Directory') return 'directory';
  if (entry.type === 'SymbolicLink' || entry.type === 'Link') {
    const what = entry.type === 'Link' ? 'a hard link' : 'a symbolic link';
    throw new BundleRejectedError(
      BundleRejection.Link,
      `entry '${path}' is ${what} to '${entry.linkpath ?? ''}': ${LINK_ADVICE}`,
      entry.path,
    );
  }
  const device = DEVICE_NAMES[entry.type];
  if (device !== undefined) {
    throw new BundleRejectedError(
      BundleRejection.DeviceFile,
      `entry '${path}' is ${device}: device files and FIFOs are not allowed in a source bundle`,
      entry.path,
    );
  }
  throw unsupportedEntry(entry);
}

/** Also for entries node-tar skips by itself (unknown types): a bundle may not hide content. */
export function unsupportedEntry(entry: ReadEntry): BundleRejectedError {
  return new BundleRejectedError(
    BundleRejection.UnsupportedEntry,
    `entry '${entry.path}' has the unsupported type '${entry.type}' (only regular files and directories are allowed)`,
    entry.path,
  );
}
