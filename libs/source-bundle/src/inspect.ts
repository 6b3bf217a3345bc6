import { Parser } from 'tar';
import { BundleReader } from './bundle-reader';
import type { BundleSummary } from './entry-policy';
import { type BundleLimits, DEFAULT_BUNDLE_LIMITS } from './limits';

/**
 * Reads a .tar.gz stream to its end without writing anything to disk; throws
 * BundleRejectedError on the first problem. The API uses it to refuse a bad upload early.
 */
export function inspectBundle(
  input: NodeJS.ReadableStream,
  limits: BundleLimits = DEFAULT_BUNDLE_LIMITS,
): Promise<BundleSummary> {
  const reader = new BundleReader(limits);
  const parser = new Parser({
    strict: true,
    // The guards admit gzip only and unwrap it themselves; no second guess by node-tar.
    brotli: false,
    zstd: false,
    filter: reader.filter,
    onReadEntry: (entry) => {
      // Listening resumes the entry, so its content is read (and counted) and dropped.
      entry.on('data', (chunk: Buffer) => void reader.countBody(entry, chunk.length));
    },
  });
  return reader.read(input, parser);
}
