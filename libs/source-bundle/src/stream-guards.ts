/**
 * Byte-level guards around the gzip layer: the compressed size limit and the gzip magic
 * on the way in, a cap on decompressed bytes (decompression bombs) on the way out.
 */
import { Transform, type TransformCallback } from 'node:stream';
import { BundleRejectedError, BundleRejection } from './errors';
import { formatBytes } from './limits';

const GZIP_MAGIC = [0x1f, 0x8b] as const;

function startsWithGzipMagic(head: Buffer): boolean {
  return head[0] === GZIP_MAGIC[0] && head[1] === GZIP_MAGIC[1];
}

/** Counts compressed bytes and checks that the stream is gzip before anything reads it. */
export class CompressedGuard extends Transform {
  private bytes = 0;
  private head: Buffer | undefined = Buffer.alloc(0);

  constructor(
    private readonly maxBytes: number,
    private readonly onReject: (error: BundleRejectedError) => void,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.maxBytes) {
      return callback(
        this.fail(
          BundleRejection.ArchiveTooLarge,
          `the bundle is larger than ${formatBytes(this.maxBytes)} (compressed), the limit`,
        ),
      );
    }
    if (this.head === undefined) return callback(null, chunk);
    this.head = Buffer.concat([this.head, chunk]);
    if (this.head.length < GZIP_MAGIC.length) return callback();
    if (!startsWithGzipMagic(this.head)) return callback(this.notGzip());
    const head = this.head;
    this.head = undefined;
    callback(null, head);
  }

  override _flush(callback: TransformCallback): void {
    if (this.bytes === 0) {
      return callback(this.fail(BundleRejection.Empty, 'the bundle is empty (0 bytes)'));
    }
    callback(this.head === undefined ? null : this.notGzip());
  }

  private notGzip(): BundleRejectedError {
    return this.fail(
      BundleRejection.NotGzip,
      'the bundle is not a gzip-compressed tar archive (.tar.gz): it does not start with the gzip signature',
    );
  }

  private fail(code: BundleRejection, reason: string): BundleRejectedError {
    const error = new BundleRejectedError(code, reason);
    this.onReject(error);
    return error;
  }
}

/**
 * Caps the decompressed tar stream. The cap leaves room for headers and padding beyond the
 * extracted-size limit, so only a stream no valid bundle could produce trips it.
 */
export class DecompressedGuard extends Transform {
  private bytes = 0;
  private head: Buffer | undefined = Buffer.alloc(0);
  /** Whether any non-zero byte came through: an archive of only zero blocks is empty. */
  sawContent = false;

  constructor(
    private readonly maxBytes: number,
    private readonly extractedLimit: number,
    private readonly onReject: (error: BundleRejectedError) => void,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.maxBytes) {
      return callback(
        this.fail(
          BundleRejection.ExtractedTooLarge,
          `the bundle decompresses to more than ${formatBytes(this.maxBytes)}, more than files within the ${formatBytes(this.extractedLimit)} extracted-size limit can take`,
        ),
      );
    }
    if (!this.sawContent && chunk.some((byte) => byte !== 0)) this.sawContent = true;
    if (this.head !== undefined) {
      this.head = Buffer.concat([this.head, chunk]);
      if (this.head.length < GZIP_MAGIC.length) return callback();
      // node-tar would quietly gunzip a second layer; a bundle is compressed once.
      if (startsWithGzipMagic(this.head)) {
        return callback(
          this.fail(
            BundleRejection.CorruptArchive,
            'the bundle is compressed twice (a gzip inside a gzip): upload the .tar.gz itself',
          ),
        );
      }
      chunk = this.head;
      this.head = undefined;
    }
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    callback(null, this.head?.length ? this.head : undefined);
  }

  private fail(code: BundleRejection, reason: string): BundleRejectedError {
    const error = new BundleRejectedError(code, reason);
    this.onReject(error);
    return error;
  }
}
