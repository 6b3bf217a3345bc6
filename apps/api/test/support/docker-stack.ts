/**
 * The deploy pipeline on a real Docker Engine: the API (docker runtime) with, when asked,
 * a builder in the same process. Every container, image and network a suite creates is
 * removed in `close()`; nothing else on the engine is touched.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { createServer } from 'node:http';
import { type AddressInfo } from 'node:net';
import { createBuilder, type Builder } from '@slipway/builder';
import Dockerode from 'dockerode';
import { create as createTar, Header, type HeaderData } from 'tar';
import { gzipSync } from 'node:zlib';
import { startTestApp, type TestApp } from './test-app';

function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) {
    throw new Error(
      `${name} is not set. The deploy pipeline specs need a Docker Engine, a base image and a local registry: ` +
        'run `eval "$(scripts/setup-docker.sh)"` first.',
    );
  }
  return value;
}

export interface DockerStack {
  readonly t: TestApp;
  readonly docker: Dockerode;
  readonly baseImage: string;
  readonly registry: string;
  readonly network: string;
  /** Serves `hello from slipway` on 8080 with busybox httpd (built locally, never pulled). */
  readonly siteImage: string;
  close(): Promise<void>;
}

export const SITE_TEXT = 'hello from slipway';

/** A gzipped tar of `files` (path → content; `mode` for executables), as a user would upload. */
export async function bundleOf(
  files: Record<string, string | { content: string; mode: number }>,
): Promise<Buffer> {
  const dir = await mkdtemp(join(tmpdir(), 'slipway-bundle-'));
  try {
    for (const [path, file] of Object.entries(files)) {
      const target = join(dir, path);
      await mkdir(dirname(target), { recursive: true });
      const { content, mode } = typeof file === 'string' ? { content: file, mode: 0o644 } : file;
      await writeFile(target, content, { mode });
    }
    const chunks: Buffer[] = [];
    const stream = createTar({ gzip: true, cwd: dir, portable: true }, Object.keys(files));
    for await (const chunk of stream) chunks.push(chunk);
    return Buffer.concat(chunks);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export function siteDockerfile(baseImage: string): string {
  return [
    `FROM ${baseImage}`,
    'COPY index.html /www/index.html',
    'CMD ["httpd", "-f", "-p", "8080", "-h", "/www"]',
    '',
  ].join('\n');
}

/** A free loopback port (the API must listen for builders to fetch bundles from it). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface DockerStackOptions {
  /** Start a builder in this process and let the API listen for its bundle downloads. */
  readonly builder?: boolean;
  readonly overrides?: Record<string, unknown>;
}

export async function startDockerStack(options: DockerStackOptions = {}): Promise<DockerStack> {
  const docker = new Dockerode();
  await docker.ping();
  const baseImage = requiredEnv('SLIPWAY_TEST_BASE_IMAGE');
  const registry = requiredEnv('SLIPWAY_TEST_REGISTRY');
  const run = randomBytes(4).toString('hex');
  const network = `slipway-e2e-${run}`;
  const siteImage = `slipway-e2e/site-${run}:1`;
  const context = await bundleOf({
    Dockerfile: siteDockerfile(baseImage),
    'index.html': `${SITE_TEXT}\n`,
  });
  const build = await docker.buildImage(Readable.from([context]), {
    t: siteImage,
    labels: { 'slipway.test': run },
  });
  await new Promise<void>((resolve, reject) =>
    docker.modem.followProgress(build, (error: Error | null) =>
      error ? reject(error) : resolve(),
    ),
  );

  const port = options.builder ? await freePort() : 0;
  const t = await startTestApp({
    overrides: {
      internalUrl: `http://127.0.0.1:${port || 3000}`,
      'runtime.driver': 'docker',
      'runtime.docker.network': network,
      'runtime.docker.stopTimeoutSeconds': 1,
      'runtime.drainSeconds': 1,
      'deploy.readinessTimeoutSeconds': 15,
      'registry.host': registry,
      ...options.overrides,
    },
  });
  let builder: Builder | undefined;
  if (options.builder) {
    await t.app.listen(port, '127.0.0.1');
    builder = await createBuilder({
      env: {},
      overrides: {
        redis: { url: t.config.redis.url },
        queue: { prefix: t.config.queues.prefix },
        log: { level: 'silent' },
      },
      logger: false,
    });
  }

  return {
    t,
    docker,
    baseImage,
    registry,
    network,
    siteImage,
    async close() {
      // Services still present are deleted through the API, which removes their instances.
      const ids = await t.dataSource.query<{ id: string }[]>('SELECT id FROM services');
      await builder?.close();
      await t.close();
      for (const { id } of ids) {
        const containers = await docker.listContainers({
          all: true,
          filters: { label: [`slipway.service-id=${id}`] },
        });
        await Promise.all(
          containers.map((c) =>
            docker
              .getContainer(c.Id)
              .remove({ force: true })
              .catch(() => undefined),
          ),
        );
        const images = await docker.listImages({
          filters: { label: [`slipway.service-id=${id}`] },
        });
        await Promise.all(
          images.map((i) =>
            docker
              .getImage(i.Id)
              .remove({ force: true })
              .catch(() => undefined),
          ),
        );
      }
      await docker
        .getImage(siteImage)
        .remove({ force: true })
        .catch(() => undefined);
      await docker
        .getNetwork(network)
        .remove()
        .catch(() => undefined);
    },
  };
}

/** A gzipped tar with one hand-made entry after a Dockerfile: what node-tar's packer refuses to write. */
export function rawBundle(entry: HeaderData & { body?: string }): Buffer {
  const block = (data: HeaderData): Buffer => {
    const header = Buffer.alloc(512);
    new Header(data).encode(header, 0);
    return header;
  };
  const file = (path: string, body: string): Buffer[] => {
    const content = Buffer.from(body);
    return [
      block({ path, type: 'File', size: content.length, mode: 0o644, mtime: new Date(0) }),
      Buffer.concat([content, Buffer.alloc((512 - (content.length % 512)) % 512)]),
    ];
  };
  const { body, ...fields } = entry;
  const tail =
    body === undefined
      ? [block({ mode: 0o644, mtime: new Date(0), size: 0, ...fields })]
      : file(fields.path ?? 'x', body);
  return gzipSync(
    Buffer.concat([...file('Dockerfile', 'FROM scratch\n'), ...tail, Buffer.alloc(1024)]),
  );
}
