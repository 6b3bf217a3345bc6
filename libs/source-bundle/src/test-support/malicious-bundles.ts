/**
 * The bundles an attacker (or a confused user) might upload, each with the rejection a
 * user must see. `outside` is a directory beside the extraction target; every case that
 * tries to escape aims at it, so a test can check that it stays untouched.
 */
import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { BundleRejection } from '../errors';
import type { BundleLimits } from '../limits';
import { DOCKERFILE, type RawEntry, rawTar, tarGz } from './archives';

export interface MaliciousBundle {
  name: string;
  /** Built on demand: some are large to make. */
  archive: () => Buffer;
  code: BundleRejection;
  /** The whole reason, or a pattern where it carries sizes. */
  reason: string | RegExp;
  limits?: BundleLimits;
}

const MIB = 1024 * 1024;
const SMALL_LIMITS: BundleLimits = {
  maxArchiveBytes: 4 * MIB,
  maxExtractedBytes: 64 * 1024,
  maxFiles: 5,
};

/** Harmless entries first, so a rejection has something to clean up. */
const PRELUDE: RawEntry[] = [
  { path: 'Dockerfile', body: DOCKERFILE },
  { path: 'src/', type: 'Directory' },
  { path: 'src/index.html', body: '<h1>hello</h1>' },
];

const LINK_ADVICE =
  'links are not allowed in a source bundle (a build context never needs them: put the file itself in the bundle)';

export function maliciousBundles(outside: {
  absolute: string;
  relative: string;
}): MaliciousBundle[] {
  const bundle = (...entries: RawEntry[]): Buffer => tarGz([...PRELUDE, ...entries]);
  const escape = `${outside.relative}/pwned`;
  return [
    {
      name: 'absolute path',
      archive: () => bundle({ path: `${outside.absolute}/pwned`, body: 'x' }),
      code: BundleRejection.AbsolutePath,
      reason: `entry '${outside.absolute}/pwned' is an absolute path (paths must be relative to the bundle root)`,
    },
    {
      name: '../ traversal',
      archive: () => bundle({ path: escape, body: 'x' }),
      code: BundleRejection.PathTraversal,
      reason: `entry '${escape}' leaves the bundle (paths must stay inside it)`,
    },
    {
      name: 'a/../../x traversal',
      archive: () => bundle({ path: `src/../${escape}`, body: 'x' }),
      code: BundleRejection.PathTraversal,
      reason: `entry 'src/../${escape}' leaves the bundle (paths must stay inside it)`,
    },
    {
      name: "'..' that stays inside",
      archive: () => bundle({ path: 'src/../Dockerfile', body: 'FROM evil' }),
      code: BundleRejection.PathTraversal,
      reason: "entry 'src/../Dockerfile' contains a '..' segment (paths must not use '..')",
    },
    {
      name: 'traversal hidden in a PAX path',
      archive: () => bundle({ path: 'innocent.txt', pax: { path: escape }, body: 'x' }),
      code: BundleRejection.PathTraversal,
      reason: `entry '${escape}' leaves the bundle (paths must stay inside it)`,
    },
    {
      name: 'symlink inside the bundle',
      archive: () => bundle({ path: 'link', type: 'SymbolicLink', linkpath: 'Dockerfile' }),
      code: BundleRejection.Link,
      reason: `entry 'link' is a symbolic link to 'Dockerfile': ${LINK_ADVICE}`,
    },
    {
      name: 'symlink pointing outside, then a file through it',
      archive: () =>
        bundle(
          { path: 'escape', type: 'SymbolicLink', linkpath: outside.absolute },
          { path: 'escape/pwned', body: 'x' },
        ),
      code: BundleRejection.Link,
      reason: `entry 'escape' is a symbolic link to '${outside.absolute}': ${LINK_ADVICE}`,
    },
    {
      name: 'hardlink',
      archive: () => bundle({ path: 'hard', type: 'Link', linkpath: 'Dockerfile' }),
      code: BundleRejection.Link,
      reason: `entry 'hard' is a hard link to 'Dockerfile': ${LINK_ADVICE}`,
    },
    {
      name: 'character device',
      archive: () => bundle({ path: 'null', type: 'CharacterDevice', devmaj: 1, devmin: 3 }),
      code: BundleRejection.DeviceFile,
      reason:
        "entry 'null' is a character device: device files and FIFOs are not allowed in a source bundle",
    },
    {
      name: 'block device',
      archive: () => bundle({ path: 'sda', type: 'BlockDevice', devmaj: 8, devmin: 0 }),
      code: BundleRejection.DeviceFile,
      reason:
        "entry 'sda' is a block device: device files and FIFOs are not allowed in a source bundle",
    },
    {
      name: 'FIFO',
      archive: () => bundle({ path: 'pipe', type: 'FIFO' }),
      code: BundleRejection.DeviceFile,
      reason:
        "entry 'pipe' is a FIFO (named pipe): device files and FIFOs are not allowed in a source bundle",
    },
    {
      name: 'unsupported entry type',
      archive: () => bundle({ path: 'sparse', type: 'SparseFile', body: 'x' }),
      code: BundleRejection.UnsupportedEntry,
      reason:
        "entry 'sparse' has the unsupported type 'SparseFile' (only regular files and directories are allowed)",
    },
    {
      name: 'too many files',
      archive: () => bundle(...['a', 'b', 'c'].map((name) => ({ path: name, body: name }))),
      limits: SMALL_LIMITS,
      code: BundleRejection.TooManyFiles,
      reason: 'the bundle has more than 5 entries (files and directories), the limit',
    },
    {
      name: 'header size lie (a huge size over a short body)',
      archive: () =>
        gzipSync(
          rawTar([...PRELUDE, { path: 'huge.bin', size: 600 * MIB, body: 'tiny' }], { end: false }),
        ),
      code: BundleRejection.ExtractedTooLarge,
      reason:
        "the bundle's files add up to more than 500 MiB once extracted, the limit (entry 'huge.bin' declares 600 MiB)",
    },
    {
      name: 'too large for real (files over the extracted limit)',
      archive: () =>
        bundle(
          { path: 'one.bin', body: randomBytes(40 * 1024) },
          { path: 'two.bin', body: randomBytes(40 * 1024) },
        ),
      limits: SMALL_LIMITS,
      code: BundleRejection.ExtractedTooLarge,
      reason:
        "the bundle's files add up to more than 64 KiB once extracted, the limit (entry 'two.bin' declares 40 KiB)",
    },
    {
      name: 'decompression bomb (zeros after the end of the archive)',
      archive: () => gzipSync(Buffer.concat([rawTar(PRELUDE), Buffer.alloc(32 * MIB)])),
      limits: SMALL_LIMITS,
      code: BundleRejection.ExtractedTooLarge,
      reason:
        /^the bundle decompresses to more than 1\.\d MiB, more than files within the 64 KiB extracted-size limit can take$/,
    },
    {
      name: 'archive too large (compressed)',
      archive: () => bundle({ path: 'noise.bin', body: randomBytes(64 * 1024) }),
      limits: { ...SMALL_LIMITS, maxArchiveBytes: 32 * 1024, maxExtractedBytes: MIB },
      code: BundleRejection.ArchiveTooLarge,
      reason: 'the bundle is larger than 32 KiB (compressed), the limit',
    },
    {
      name: 'not gzip (a plain tar)',
      archive: () => rawTar(PRELUDE),
      code: BundleRejection.NotGzip,
      reason:
        'the bundle is not a gzip-compressed tar archive (.tar.gz): it does not start with the gzip signature',
    },
    {
      name: 'truncated gzip',
      archive: () => bundle({ path: 'noise.bin', body: randomBytes(8 * 1024) }).subarray(0, 4000),
      code: BundleRejection.CorruptArchive,
      reason: "the bundle's gzip data is truncated or corrupt (unexpected end of file)",
    },
    {
      name: 'gzip of something that is not tar',
      archive: () => gzipSync(Buffer.from('just some text, not a tar archive\n'.repeat(40))),
      code: BundleRejection.CorruptArchive,
      reason: /^the archive is corrupt \(checksum failure\)$/,
    },
    {
      name: 'gzip inside gzip',
      archive: () => gzipSync(bundle()),
      code: BundleRejection.CorruptArchive,
      reason: 'the bundle is compressed twice (a gzip inside a gzip): upload the .tar.gz itself',
    },
    {
      name: 'empty archive (only end-of-archive blocks)',
      archive: () => tarGz([]),
      code: BundleRejection.Empty,
      reason: 'the bundle is empty (no entries)',
    },
    {
      name: 'empty upload (0 bytes)',
      archive: () => Buffer.alloc(0),
      code: BundleRejection.Empty,
      reason: 'the bundle is empty (0 bytes)',
    },
    {
      name: 'directories but no files',
      archive: () => tarGz([{ path: 'src/', type: 'Directory' }]),
      code: BundleRejection.Empty,
      reason: 'the bundle contains no files',
    },
  ];
}
