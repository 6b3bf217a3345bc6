/**
 * Downloads a build's source bundle from the API's internal endpoint into a file, hashing
 * and counting as it streams, and checks it against what the API recorded at upload.
 * The token travels only in the Authorization header and is never logged.
 */
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { STATUS_CODES } from 'node:http';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { BuildJobPayload } from '@slipway/contracts';
import { formatBytes } from '@slipway/source-bundle';
import { request } from 'undici';
import { BuildFailedError } from '../drivers/build-driver';

export interface FetchBundleOptions {
  /** Largest bundle accepted (SLIPWAY_BUNDLE_MAX_BYTES). */
  maxBytes: number;
  signal: AbortSignal;
  /** Time allowed for the response headers, and between body chunks. */
  timeoutMs?: number;
}

export interface FetchedBundle {
  path: string;
  bytes: number;
  sha256: string;
}

/** The endpoint's way of saying the bundle (or its one-time token) is gone for good. */
const GONE_STATUSES = new Set([401, 403, 404, 410]);

/** Retryable: the API or the network failed, not the bundle. */
export class BundleFetchError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'BundleFetchError';
  }
}

/**
 * Fetches `bundle` into `destFile`. Throws BuildFailedError when retrying cannot help (the
 * bundle is gone, too large, or not what was uploaded), BundleFetchError otherwise.
 */
export async function fetchBundle(
  bundle: NonNullable<BuildJobPayload['bundle']>,
  destFile: string,
  options: FetchBundleOptions,
): Promise<FetchedBundle> {
  const { maxBytes, signal, timeoutMs = 60_000 } = options;
  if (bundle.sizeBytes > maxBytes) throw tooLarge(maxBytes, bundle.sizeBytes);

  let response: Awaited<ReturnType<typeof request>>;
  try {
    response = await request(bundle.url, {
      method: 'GET',
      headers: { authorization: `Bearer ${bundle.token}`, accept: 'application/gzip' },
      signal,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
  } catch (error) {
    signal.throwIfAborted();
    throw new BundleFetchError(`fetching the source bundle failed: ${messageOf(error)}`, {
      cause: error,
    });
  }

  const { statusCode } = response;
  if (statusCode !== 200) {
    await response.body.dump().catch(() => undefined);
    const status = `${statusCode} ${STATUS_CODES[statusCode] ?? ''}`.trim();
    if (GONE_STATUSES.has(statusCode)) {
      throw new BuildFailedError(
        `the source bundle is no longer available (the API answered ${status}); deploy the source again`,
      );
    }
    if (statusCode >= 400 && statusCode < 500 && statusCode !== 408 && statusCode !== 429) {
      throw new BuildFailedError(`the API refused to serve the source bundle (${status})`);
    }
    throw new BundleFetchError(`fetching the source bundle failed: the API answered ${status}`);
  }

  const declared = Number(response.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body.dump().catch(() => undefined);
    throw tooLarge(maxBytes, declared);
  }

  const hash = createHash('sha256');
  let bytes = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      bytes += chunk.length;
      if (bytes > maxBytes) return callback(tooLarge(maxBytes));
      if (bytes > bundle.sizeBytes) {
        return callback(corrupt(`more than the ${bundle.sizeBytes} bytes recorded at upload`));
      }
      hash.update(chunk);
      callback(null, chunk);
    },
  });
  try {
    await pipeline(response.body, meter, createWriteStream(destFile), { signal });
  } catch (error) {
    signal.throwIfAborted();
    if (error instanceof BuildFailedError) throw error;
    throw new BundleFetchError(`fetching the source bundle failed: ${messageOf(error)}`, {
      cause: error,
    });
  }

  const sha256 = hash.digest('hex');
  if (bytes !== bundle.sizeBytes) {
    throw corrupt(`${bytes} bytes received, ${bundle.sizeBytes} recorded at upload`);
  }
  if (sha256 !== bundle.sha256) {
    throw corrupt(`sha256 ${sha256}, ${bundle.sha256} recorded at upload`);
  }
  return { path: destFile, bytes, sha256 };
}

function tooLarge(maxBytes: number, bytes?: number): BuildFailedError {
  const size = bytes === undefined ? 'more than ' : `${formatBytes(bytes)} > `;
  return new BuildFailedError(
    `the source bundle is larger than this builder accepts (${size}${formatBytes(maxBytes)}, SLIPWAY_BUNDLE_MAX_BYTES)`,
  );
}

function corrupt(detail: string): BuildFailedError {
  return new BuildFailedError(
    `the source bundle is corrupt: it does not match what was uploaded (${detail})`,
  );
}

/** An HTTP client error's message, with its code (ECONNREFUSED, UND_ERR_...) when it has one. */
export function messageOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as Error & { code?: string }).code;
  return code && !error.message.includes(code) ? `${error.message} (${code})` : error.message;
}
