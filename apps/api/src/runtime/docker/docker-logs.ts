/**
 * Container logs as plain text. Without a TTY the Engine multiplexes stdout and stderr into
 * frames (8-byte header: stream type, 3 zero bytes, big-endian payload length); both are
 * merged here in the order the engine sent them.
 */
import { Readable, Transform, type TransformCallback } from 'node:stream';
import type Dockerode from 'dockerode';

const HEADER_BYTES = 8;

/**
 * Strips the frame headers from a multiplexed log stream. A Transform rather than
 * `modem.demuxStream`, so backpressure from a slow client reaches the engine's socket.
 */
export class DockerLogDemuxer extends Transform {
  private pending: Buffer = Buffer.alloc(0);

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    let offset = 0;
    while (this.pending.length - offset >= HEADER_BYTES) {
      const size = this.pending.readUInt32BE(offset + 4);
      if (this.pending.length - offset - HEADER_BYTES < size) break;
      this.push(this.pending.subarray(offset + HEADER_BYTES, offset + HEADER_BYTES + size));
      offset += HEADER_BYTES + size;
    }
    this.pending = this.pending.subarray(offset);
    done();
  }
}

/** The payload of a complete multiplexed buffer (a non-follow log request). */
export function demuxLogBuffer(buffer: Buffer): Buffer {
  const parts: Buffer[] = [];
  let offset = 0;
  while (buffer.length - offset >= HEADER_BYTES) {
    const size = buffer.readUInt32BE(offset + 4);
    if (buffer.length - offset - HEADER_BYTES < size) break;
    parts.push(buffer.subarray(offset + HEADER_BYTES, offset + HEADER_BYTES + size));
    offset += HEADER_BYTES + size;
  }
  return Buffer.concat(parts);
}

export interface OpenLogOptions {
  readonly tailLines: number;
  readonly follow: boolean;
  readonly signal: AbortSignal;
  /** Whether the container has a TTY (then the engine sends raw, unframed output). */
  readonly tty: boolean;
}

/**
 * A readable of the container's output: `tailLines` of history, then (with `follow`) new
 * output until the container stops. Aborting `signal` ends the stream; destroying the
 * returned stream closes the engine's.
 */
export async function openLogStream(
  container: Dockerode.Container,
  options: OpenLogOptions,
): Promise<Readable> {
  const base = { stdout: true, stderr: true, tail: options.tailLines };
  // A client gone before the engine answered gets an empty, ended stream, not an error.
  const ended = (): Readable => Readable.from([], { objectMode: false });
  if (options.signal.aborted) return ended();
  if (!options.follow) {
    const history = await whileWanted(options.signal, () =>
      container.logs({ ...base, follow: false, abortSignal: options.signal }),
    );
    return history === null
      ? ended()
      : Readable.from([options.tty ? history : demuxLogBuffer(history)], { objectMode: false });
  }
  const source = (await whileWanted(options.signal, () =>
    container.logs({ ...base, follow: true, abortSignal: options.signal }),
  )) as Readable | null;
  if (source === null) return ended();
  const output = options.tty ? new Transform({ transform: passThrough }) : new DockerLogDemuxer();
  const detach = (): void => options.signal.removeEventListener('abort', onAbort);
  const onAbort = (): void => {
    source.unpipe(output);
    source.destroy();
    output.end();
  };
  // `pipe` ends the output when the engine ends the stream (the container stopped).
  source.on('end', detach);
  source.on('error', (error) => {
    detach();
    if (!options.signal.aborted) output.destroy(error);
  });
  output.on('close', () => {
    detach();
    source.destroy();
  });
  if (options.signal.aborted) {
    source.destroy();
    output.end();
  } else {
    options.signal.addEventListener('abort', onAbort, { once: true });
    source.pipe(output);
  }
  return output;
}

/** `request()`, or null when it failed because `signal` aborted it. */
async function whileWanted<T>(signal: AbortSignal, request: () => Promise<T>): Promise<T | null> {
  try {
    return await request();
  } catch (error) {
    if (signal.aborted) return null;
    throw error;
  }
}

function passThrough(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
  done(null, chunk);
}

/** The last `count` lines the container wrote, for failure reasons; '' when unavailable. */
export async function lastLogLines(container: Dockerode.Container, count: number): Promise<string> {
  try {
    const [info, history] = await Promise.all([
      container.inspect(),
      container.logs({ stdout: true, stderr: true, follow: false, tail: count }),
    ]);
    const text = (info.Config.Tty ? history : demuxLogBuffer(history)).toString('utf8');
    return text.replace(/\s+$/, '').split('\n').slice(-count).join('\n');
  } catch {
    return ''; // the container may already be gone; the reason then goes without logs
  }
}
