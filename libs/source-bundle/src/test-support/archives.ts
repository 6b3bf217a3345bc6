/**
 * Hand-made archives for tests: raw tar headers written with node-tar's Header class, so
 * a test can build exactly the malicious entry it means (node-tar's own packer refuses to).
 */
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { Header, type HeaderData } from 'tar';

export interface RawEntry extends HeaderData {
  /** File content; `size` defaults to its length (set `size` to lie about it). */
  body?: Buffer | string;
  /** PAX records sent in an extended header before this entry (they override its fields). */
  pax?: Record<string, string>;
}

const BLOCK = 512;

function padded(data: Buffer): Buffer {
  const rest = data.length % BLOCK;
  return rest === 0 ? data : Buffer.concat([data, Buffer.alloc(BLOCK - rest)]);
}

function headerBlock(data: HeaderData): Buffer {
  const block = Buffer.alloc(BLOCK);
  new Header(data).encode(block, 0);
  return block;
}

/** A PAX record `"<len> key=value\n"`, whose length counts its own digits. */
function paxRecord(key: string, value: string): string {
  const rest = ` ${key}=${value}\n`;
  let length = Buffer.byteLength(rest) + 1;
  while (String(length).length + Buffer.byteLength(rest) !== length) length += 1;
  return `${length}${rest}`;
}

/** One entry; paths longer than the ustar field travel in a PAX header, as real tars do. */
export function entryBlocks(entry: RawEntry): Buffer {
  const body = entry.body === undefined ? Buffer.alloc(0) : Buffer.from(entry.body);
  const { body: _body, pax: extraPax, ...fields } = entry;
  const header: HeaderData = {
    mode: entry.type === 'Directory' ? 0o755 : 0o644,
    uid: 1000,
    gid: 1000,
    mtime: new Date(0),
    type: 'File',
    ...fields,
    size: entry.size ?? (entry.type === 'Directory' ? 0 : body.length),
  };
  const records: Record<string, string> = { ...extraPax };
  if (header.path !== undefined && Buffer.byteLength(header.path) > 99) {
    records.path = header.path;
    header.path = header.path.slice(-90);
  }
  const parts: Buffer[] = [];
  if (Object.keys(records).length > 0) {
    const pax = Buffer.from(
      Object.entries(records)
        .map(([key, value]) => paxRecord(key, value))
        .join(''),
    );
    parts.push(headerBlock({ path: 'PaxHeader', type: 'ExtendedHeader', size: pax.length }));
    parts.push(padded(pax));
  }
  parts.push(headerBlock(header), padded(body));
  return Buffer.concat(parts);
}

/** An uncompressed tar of `entries`, ended by the two zero blocks. */
export function rawTar(entries: readonly RawEntry[], { end = true } = {}): Buffer {
  return Buffer.concat([...entries.map(entryBlocks), Buffer.alloc(end ? 2 * BLOCK : 0)]);
}

export function tarGz(entries: readonly RawEntry[]): Buffer {
  return gzipSync(rawTar(entries));
}

/** A stream of `data` in chunks, as an upload arrives. */
export function streamOf(data: Buffer, chunkSize = 16 * 1024): NodeJS.ReadableStream {
  const chunks: Buffer[] = [];
  for (let offset = 0; offset < data.length; offset += chunkSize) {
    chunks.push(data.subarray(offset, offset + chunkSize));
  }
  return Readable.from(chunks);
}

export const DOCKERFILE = 'FROM scratch\nCOPY . /\n';
