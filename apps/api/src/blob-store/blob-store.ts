import { createReadStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, isAbsolute, join, resolve, sep } from 'node:path';
import { type Readable } from 'node:stream';

const KEY = /^[a-z0-9][a-z0-9._-]*(\/[a-z0-9][a-z0-9._-]*)*$/;

/**
 * Where source bundles live. A directory by default; the interface is small enough for an
 * S3-compatible store to implement.
 */
export abstract class BlobStore {
  /** Moves a finished upload into the store under `key`. */
  abstract putFile(key: string, sourcePath: string): Promise<void>;
  /** Opens a stored blob; resolves undefined when it does not exist. */
  abstract open(key: string): Promise<{ stream: Readable; sizeBytes: number } | undefined>;
  /** Removes every blob whose key starts with `prefix/` (idempotent). */
  abstract deletePrefix(prefix: string): Promise<void>;
  /** A directory on the same filesystem where uploads are written before `putFile`. */
  abstract incomingDir(): string;
}

export class DirectoryBlobStore extends BlobStore {
  private readonly root: string;

  constructor(root: string) {
    super();
    this.root = resolve(root);
  }

  async init(): Promise<void> {
    await mkdir(this.incomingDir(), { recursive: true });
  }

  incomingDir(): string {
    return join(this.root, '.incoming');
  }

  async putFile(key: string, sourcePath: string): Promise<void> {
    const target = this.pathOf(key);
    await mkdir(dirname(target), { recursive: true });
    await rename(sourcePath, target);
  }

  async open(key: string): Promise<{ stream: Readable; sizeBytes: number } | undefined> {
    const path = this.pathOf(key);
    try {
      const info = await stat(path);
      return { stream: createReadStream(path), sizeBytes: info.size };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  async deletePrefix(prefix: string): Promise<void> {
    await rm(this.pathOf(prefix), { recursive: true, force: true });
  }

  /** Keys are generated from ids, but a path must still never leave the root. */
  private pathOf(key: string): string {
    if (!KEY.test(key) || key.split('/').includes('..') || isAbsolute(key)) {
      throw new Error(`invalid blob key '${key}'`);
    }
    const path = resolve(this.root, key);
    if (!path.startsWith(this.root + sep)) throw new Error(`blob key '${key}' leaves the store`);
    return path;
  }
}
