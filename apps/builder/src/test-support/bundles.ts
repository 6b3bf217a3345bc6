/**
 * Test helpers: source bundles made from files, a malicious one, and a local HTTP server
 * that plays the API's internal bundle endpoint (one-time token in a Bearer header).
 */
import { createHash, randomBytes } from 'node:crypto';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { text } from 'node:stream/consumers';
import { gzipSync } from 'node:zlib';
import type { BuildJobPayload } from '@slipway/contracts';
import { packDirectory } from '@slipway/source-bundle';
import { Header } from 'tar';

export type BundleFiles = Record<string, string | { content: string; mode: number }>;

/** A .tar.gz of `files` (paths relative to the bundle root), as the CLI would upload it. */
export async function bundleOf(files: BundleFiles): Promise<Buffer> {
  const dir = await mkdtemp(join(tmpdir(), 'slipway-bundle-'));
  try {
    for (const [path, file] of Object.entries(files)) {
      const target = join(dir, path);
      await mkdir(dirname(target), { recursive: true });
      const { content, mode } = typeof file === 'string' ? { content: file, mode: 0o644 } : file;
      await writeFile(target, content);
      await chmod(target, mode);
    }
    const chunks: Buffer[] = [];
    for await (const chunk of packDirectory(dir)) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** A bundle with a Dockerfile and then an entry that climbs out of the extraction dir. */
export function traversalBundle(escapePath: string): Buffer {
  const entry = (path: string, body: string): Buffer[] => {
    const header = Buffer.alloc(512);
    new Header({ path, type: 'File', size: Buffer.byteLength(body), mode: 0o644 }).encode(
      header,
      0,
    );
    const data = Buffer.from(body);
    return [header, data, Buffer.alloc((512 - (data.length % 512)) % 512)];
  };
  return gzipSync(
    Buffer.concat([
      ...entry('Dockerfile', 'FROM scratch\n'),
      ...entry(escapePath, 'pwned'),
      Buffer.alloc(1024),
    ]),
  );
}

/** Serves bundles at `/bundles/<n>` to whoever shows that bundle's token. */
export class BundleServer {
  private server: Server | undefined;
  private baseUrl = '';
  private readonly bundles = new Map<string, { token: string; data: Buffer }>();
  /** Authorization headers seen, to check the token was sent (and nothing else). */
  readonly requests: { path: string; authorization: string | undefined }[] = [];

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      void text(req).then(() => {
        const path = req.url ?? '';
        this.requests.push({ path, authorization: req.headers.authorization });
        const bundle = this.bundles.get(path);
        if (!bundle) return res.writeHead(404).end();
        if (req.headers.authorization !== `Bearer ${bundle.token}`) return res.writeHead(401).end();
        res.writeHead(200, {
          'content-type': 'application/gzip',
          'content-length': bundle.data.length,
        });
        res.end(bundle.data);
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.baseUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Publishes `data` and returns the payload's `bundle` section for it. */
  serve(data: Buffer): NonNullable<BuildJobPayload['bundle']> {
    const path = `/bundles/${this.bundles.size + 1}`;
    const token = `slp_bt_${randomBytes(16).toString('hex')}`;
    this.bundles.set(path, { token, data });
    return {
      url: `${this.baseUrl}${path}`,
      token,
      sha256: createHash('sha256').update(data).digest('hex'),
      sizeBytes: data.length,
    };
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

/** Where tests push and what they build from; both come from scripts/setup-docker.sh. */
export function dockerTestEnv(): { baseImage: string; registry: string } {
  const baseImage = process.env.SLIPWAY_TEST_BASE_IMAGE;
  const registry = process.env.SLIPWAY_TEST_REGISTRY;
  if (!baseImage || !registry) {
    throw new Error(
      'SLIPWAY_TEST_BASE_IMAGE and SLIPWAY_TEST_REGISTRY must be set for Docker tests: run eval "$(scripts/setup-docker.sh)"',
    );
  }
  return { baseImage, registry };
}

/** The manifest digest the registry itself reports for `repository:tag`. */
export async function registryDigest(
  registry: string,
  repository: string,
  tag: string,
): Promise<string | null> {
  const response = await fetch(`http://${registry}/v2/${repository}/manifests/${tag}`, {
    method: 'HEAD',
    headers: { accept: 'application/vnd.docker.distribution.manifest.v2+json' },
  });
  return response.ok ? response.headers.get('docker-content-digest') : null;
}
