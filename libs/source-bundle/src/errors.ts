/**
 * Why a source bundle was refused. Every rejection carries a code (for programs) and a
 * reason (a sentence for the user: it becomes the deployment's `failure_reason`).
 */
export enum BundleRejection {
  NotGzip = 'not_gzip',
  CorruptArchive = 'corrupt_archive',
  ArchiveTooLarge = 'archive_too_large',
  TooManyFiles = 'too_many_files',
  ExtractedTooLarge = 'extracted_too_large',
  AbsolutePath = 'absolute_path',
  PathTraversal = 'path_traversal',
  Link = 'link',
  DeviceFile = 'device_file',
  UnsupportedEntry = 'unsupported_entry',
  Empty = 'empty',
  /** A user-given path (docker.file, docker.context) that is not a usable bundle path. */
  InvalidPath = 'invalid_path',
}

export class BundleRejectedError extends Error {
  constructor(
    readonly code: BundleRejection,
    readonly reason: string,
    /** The archive entry (or user-given path) at fault, when there is one. */
    readonly entry?: string,
  ) {
    super(reason);
    this.name = 'BundleRejectedError';
  }
}
