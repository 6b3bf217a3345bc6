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

/** How much of a request body is still read after an early answer (see `discardBody`). */
export interface DrainLimits {
  readonly maxBytes: number;
  readonly maxMs: number;
}

/**
 * Reads and drops the rest of a request body, then calls `done`. Past `maxBytes` more bytes
 * or `maxMs` it destroys the socket instead: a client must not hold the connection open by
 * sending slowly or without end.
 */
export function discardBody(req: IncomingMessage, limits: DrainLimits, done: () => void): void {
  if (req.destroyed) {
    done();
    return;
  }
  let discarded = 0;
  let finished = false;
  const finish = (drained: boolean): void => {
    if (finished) return;
    finished = true;
    clearTimeout(timer);
    req.off('data', onData);
    if (drained) done();
    else req.socket.destroy();
  };
  const onData = (chunk: Buffer): void => {
    discarded += chunk.length;
    if (discarded > limits.maxBytes) finish(false);
  };
  const timer = setTimeout(() => finish(false), limits.maxMs);
  req.on('data', onData);
  // 'close' without 'end': the client went away, so there is nothing left to wait for.
  req.once('end', () => finish(true));
  req.once('close', () => finish(true));
  req.resume();
}
