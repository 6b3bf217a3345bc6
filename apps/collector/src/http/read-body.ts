import type { IncomingMessage } from 'node:http';
import { createGunzip } from 'node:zlib';
import { ErrorCode } from '@slipway/contracts';
import { HttpError, errors } from './http-error';

export type ContentEncoding = 'identity' | 'gzip';

/**
 * Reads the request body, gunzipping it as it streams, and stops as soon as either the
 * bytes received or the bytes decompressed pass `limit` (a gzip bomb never fills memory).
 */
export function readBody(
  req: IncomingMessage,
  encoding: ContentEncoding,
  limit: number,
): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit)
    return Promise.reject(errors.tooLarge(limit, 'compressed'));

  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    let decompressed = 0;
    let settled = false;
    const gunzip = encoding === 'gzip' ? createGunzip() : null;

    const fail = (error: Error): void => {
      if (settled) return;
      settled = true;
      if (gunzip) {
        req.unpipe(gunzip);
        gunzip.destroy();
      }
      req.pause();
      reject(error);
    };
    const succeed = (): void => {
      if (settled) return;
      settled = true;
      resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks));
    };

    req.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received > limit) fail(errors.tooLarge(limit, 'compressed'));
    });
    req.on('error', fail);
    req.on('aborted', () => fail(new Error('the client closed the request')));

    if (!gunzip) {
      req.on('data', (chunk: Buffer) => {
        if (!settled) chunks.push(chunk);
      });
      req.on('end', succeed);
      return;
    }
    gunzip.on('data', (chunk: Buffer) => {
      decompressed += chunk.length;
      if (decompressed > limit) fail(errors.tooLarge(limit, 'decompressed'));
      else if (!settled) chunks.push(chunk);
    });
    gunzip.on('error', (error) =>
      fail(
        new HttpError(
          400,
          ErrorCode.ValidationFailed,
          `The body is not valid gzip: ${error.message}`,
        ),
      ),
    );
    gunzip.on('end', succeed);
    req.pipe(gunzip);
  });
}
