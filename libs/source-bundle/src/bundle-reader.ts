/**
 * Drives one archive through the guards, gunzip and a node-tar Parser (to inspect) or
 * Unpack (to extract), stopping at the first problem. The first failure wins; anything
 * after it is noise from the teardown.
 */
import type { Stats } from 'node:fs';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { type Parser, ReadEntry } from 'tar';
import { type BundleSummary, EntryPolicy, unsupportedEntry } from './entry-policy';
import { BundleRejectedError, BundleRejection } from './errors';
import type { BundleLimits } from './limits';
import { CompressedGuard, DecompressedGuard } from './stream-guards';

/** Room for tar headers, PAX records and padding per entry, beyond the files' bytes. */
const TAR_OVERHEAD_PER_ENTRY = 3 * 1024;
const TAR_OVERHEAD_FIXED = 1024 * 1024;
/** After a failure, how long in-flight writes may take to settle before cleanup goes on. */
const SETTLE_TIMEOUT_MS = 30_000;

type TarError = Error & { tarCode?: string; code?: string; entry?: { path?: string } };

export class BundleReader {
  private failure: Error | undefined;
  private wake: (() => void) | undefined;
  private readonly policy: EntryPolicy;
  private readonly decompressed: DecompressedGuard;

  constructor(private readonly limits: BundleLimits) {
    this.policy = new EntryPolicy(limits);
    const cap =
      limits.maxExtractedBytes +
      (limits.maxFiles + 1) * TAR_OVERHEAD_PER_ENTRY +
      TAR_OVERHEAD_FIXED;
    this.decompressed = new DecompressedGuard(cap, limits.maxExtractedBytes, (e) => this.fail(e));
  }

  /** node-tar `filter`: each entry is checked from its header, before any of it is written. */
  readonly filter = (_path: string, entry: ReadEntry | Stats): boolean => {
    if (this.failure || !(entry instanceof ReadEntry)) return false;
    try {
      this.policy.admit(entry);
      return true;
    } catch (error) {
      this.fail(error);
      return false;
    }
  };

  /** Counts content bytes as they pass; false once the bundle has been refused. */
  countBody(entry: ReadEntry, bytes: number): boolean {
    if (this.failure) return false;
    try {
      this.policy.countBody(bytes, entry.path);
      return true;
    } catch (error) {
      this.fail(error);
      return false;
    }
  }

  /** Reads `input` to its end into `parser`; resolves with the summary or throws the failure. */
  async read(input: NodeJS.ReadableStream, parser: Parser): Promise<BundleSummary> {
    let endCalled = false;
    const ended = new Promise<void>((resolve) => parser.once('end', () => resolve()));
    parser.on('error', (error: unknown) => this.fail(this.fromTarError(error)));
    // Entries the filter refused come after a failure; any other was skipped by node-tar.
    parser.on('ignoredEntry', (entry: ReadEntry) => this.fail(unsupportedEntry(entry)));

    const feeder = new Writable({
      write: (chunk: Buffer, _encoding, callback) => {
        if (this.failure) return callback(this.failure);
        const flowing = parser.write(chunk);
        if (this.failure || flowing) return callback(this.failure);
        this.waitFor((done) => parser.once('drain', done), callback);
      },
      final: (callback) => {
        endCalled = true;
        parser.end();
        this.waitFor((done) => void ended.then(done), callback);
      },
    });

    try {
      await pipeline(
        input,
        new CompressedGuard(this.limits.maxArchiveBytes, (e) => this.fail(e)),
        createGunzip().on('error', (error: Error & { code?: string }) => {
          // zlib's own errors (Z_DATA_ERROR, Z_BUF_ERROR…); others come from the input.
          if (error.code?.startsWith('Z_')) this.fail(corruptGzip(error));
        }),
        this.decompressed,
        feeder,
      );
    } catch (error) {
      this.fail(error);
    }
    if (this.failure) {
      if (!endCalled) parser.end();
      await settle(ended);
      throw this.failure;
    }
    return this.policy.summary();
  }

  private fail(error: unknown): void {
    this.failure ??= error instanceof Error ? error : new Error(String(error));
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  /** Waits for `subscribe`'s event or the first failure, whichever comes first. */
  private waitFor(
    subscribe: (done: () => void) => void,
    callback: (error?: Error | null) => void,
  ): void {
    let called = false;
    const done = (): void => {
      if (called) return;
      called = true;
      this.wake = undefined;
      callback(this.failure);
    };
    this.wake = done;
    subscribe(done);
  }

  private fromTarError(error: unknown): Error {
    if (!(error instanceof Error)) return new Error(String(error));
    const tarError = error as TarError;
    if (tarError.name === 'CwdError') return tarError;
    const detail = tarError.message.replace(/^TAR_[A-Z_]+: /, '');
    const entry = tarError.entry?.path;
    if (tarError.tarCode === 'TAR_BAD_ARCHIVE') {
      return this.decompressed.sawContent
        ? corrupt(`the bundle is not a valid tar archive inside its gzip layer (${detail})`)
        : new BundleRejectedError(BundleRejection.Empty, 'the bundle is empty (no entries)');
    }
    if (tarError.tarCode === 'TAR_ENTRY_ERROR') {
      // An fs error code (ENOTDIR…) says enough; its message would show host paths.
      const fsCode = /\b(E[A-Z]{2,})\b/.exec(`${tarError.code ?? ''} ${detail}`)?.[1];
      const cause = fsCode ?? detail;
      return corrupt(`entry '${entry ?? '?'}' could not be extracted (${cause})`, entry);
    }
    return corrupt(`the archive is corrupt (${detail})`, entry);
  }
}

function corrupt(reason: string, entry?: string): BundleRejectedError {
  return new BundleRejectedError(BundleRejection.CorruptArchive, reason, entry);
}

function corruptGzip(error: Error): BundleRejectedError {
  return corrupt(`the bundle's gzip data is truncated or corrupt (${error.message})`);
}

async function settle(done: Promise<void>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, SETTLE_TIMEOUT_MS);
    timer.unref();
  });
  await Promise.race([done, timeout]);
  clearTimeout(timer);
}
