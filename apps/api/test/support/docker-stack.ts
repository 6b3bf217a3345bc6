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
import { createServer, request as httpRequest } from 'node:http';
import { type AddressInfo } from 'node:net';
import { createBuilder, type Builder } from '@slipway/builder';
import {
  isDeploymentInProgress,
  type DeploymentResource,
  type ServiceRuntimeStatus,
} from '@slipway/contracts';
import Dockerode from 'dockerode';
import { create as createTar, Header, type HeaderData } from 'tar';
import { gzipSync } from 'node:zlib';
import { adminDefaults, uniqueName } from './fixtures';
import { bearer, startTestApp, type TestApp } from './test-app';

export function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) {
    throw new Error(
      `${name} is not set. The deploy pipeline specs need a Docker Engine, a base image and a local registry: ` +
        'run `eval "$(scripts/setup-docker.sh)"` first.',
    );
  }
  return value;
}

export interface Endpoint {
  readonly host: string;
  readonly port: number;
}

/**
 * GET on a container endpoint (no keep-alive, so a stopped instance shows as an error). The
 * timeout is generous: on a loaded machine a healthy instance may take seconds to answer.
 */
export function httpGet(endpoint: Endpoint, path = '/'): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ ...endpoint, path, timeout: 10_000, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

export interface SteadyLoad {
  /** Stops the loop and reports what it saw. */
  stop(): Promise<{ requests: number; failures: string[]; bodies: Set<string> }>;
}

export interface DockerStack {
  readonly t: TestApp;
  readonly docker: Dockerode;
  readonly baseImage: string;
  readonly registry: string;
  readonly network: string;
  /** Serves `hello from slipway` on 8080 with busybox httpd (built locally, never pulled). */
  readonly siteImage: string;
  /** A new service in the admin's default project. */
  createService(prefix: string): Promise<string>;
  /** Polls the deployment until it leaves building/deploying. */
  waitForDeployment(serviceId: string, deploymentId: string): Promise<DeploymentResource>;
  /** Polls `GET /status` until the scale or restart has ended; returns that status. */
  waitForOperation(serviceId: string, operationId: string): Promise<ServiceRuntimeStatus>;
  /** The endpoints the service's route points at (what the edge would use). */
  route(serviceId: string): Promise<Endpoint[]>;
  /**
   * Requests `path` in a loop, each time at the endpoint the route points at then, as the
   * edge would: any failure while a change rolls out shows in `failures`.
   */
  steadyLoad(serviceId: string, path?: string): SteadyLoad;
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

/**
 * Builds `files` (a Dockerfile among them) as `tag` on the engine; the caller removes it.
 * Bounded: a build stuck on a busy engine fails here rather than holding the run open.
 */
export async function buildTestImage(
  docker: Dockerode,
  tag: string,
  files: Parameters<typeof bundleOf>[0],
  labels: Record<string, string> = {},
): Promise<void> {
  const build = await docker.buildImage(Readable.from([await bundleOf(files)]), {
    t: tag,
    labels,
    abortSignal: AbortSignal.timeout(120_000),
  });
  await new Promise<void>((resolve, reject) =>
    docker.modem.followProgress(build, (error: Error | null) =>
      error ? reject(error) : resolve(),
    ),
  );
}

/** A free loopback port (the API must listen for builders to fetch bundles from it). */
export async function freePort(): Promise<number> {
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
  await buildTestImage(
    docker,
    siteImage,
    { Dockerfile: siteDockerfile(baseImage), 'index.html': `${SITE_TEXT}\n` },
    { 'slipway.test': run },
  );

  const port = options.builder ? await freePort() : 0;
  const t = await startTestApp({
    overrides: {
      internalUrl: `http://127.0.0.1:${port || 3000}`,
      'runtime.driver': 'docker',
      'runtime.docker.network': network,
      'runtime.docker.stopTimeoutSeconds': 1,
      'runtime.drainSeconds': 1,
      'runtime.healthWatchSeconds': 1,
      // Generous: on a loaded machine (and a busy engine) an instance may be slow to listen.
      'deploy.readinessTimeoutSeconds': 60,
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

  const admin = bearer(t.adminToken);
  const { projectId } = await adminDefaults(t);
  const route = async (serviceId: string): Promise<Endpoint[]> => {
    const rows = await t.dataSource.query<{ endpoints: Endpoint[] }[]>(
      'SELECT endpoints FROM service_routes WHERE service_id = $1',
      [serviceId],
    );
    return rows[0]?.endpoints ?? [];
  };
  return {
    t,
    docker,
    baseImage,
    registry,
    network,
    siteImage,
    async createService(prefix) {
      const res = await t.http
        .post('/v1/services')
        .set(admin)
        .send({ name: uniqueName(prefix), project_id: projectId })
        .expect(200);
      return (res.body.data as { id: string }).id;
    },
    async waitForDeployment(serviceId, deploymentId) {
      const deadline = Date.now() + 90_000;
      for (;;) {
        const res = await t.http
          .get(`/v1/services/${serviceId}/deployments/${deploymentId}`)
          .set(admin)
          .expect(200);
        const deployment = res.body.data as DeploymentResource;
        if (!isDeploymentInProgress(deployment.status)) return deployment;
        if (Date.now() > deadline) throw new Error(`deployment still ${deployment.status}`);
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    },
    async waitForOperation(serviceId, operationId) {
      const deadline = Date.now() + 90_000;
      for (;;) {
        const res = await t.http.get(`/v1/services/${serviceId}/status`).set(admin).expect(200);
        const status = res.body.data as ServiceRuntimeStatus;
        if (status.operation?.id === operationId && status.operation.status !== 'running') {
          return status;
        }
        if (Date.now() > deadline) throw new Error(`operation ${operationId} still running`);
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    },
    route,
    steadyLoad(serviceId, path = '/index.html') {
      let running = true;
      let requests = 0;
      const failures: string[] = [];
      const bodies = new Set<string>();
      const loop = (async () => {
        while (running) {
          // Round-robin over the route's endpoints, as the edge does.
          const endpoints = await route(serviceId);
          const endpoint = endpoints[requests % Math.max(1, endpoints.length)];
          try {
            if (!endpoint) throw new Error('the service has no route');
            const res = await httpGet(endpoint, path);
            requests += 1;
            bodies.add(res.body);
            if (res.status !== 200) failures.push(`HTTP ${res.status}`);
          } catch (error) {
            failures.push((error as Error).message);
          }
        }
      })();
      return {
        async stop() {
          running = false;
          await loop;
          return { requests, failures, bodies };
        },
      };
    },
    async close() {
      // Whatever the suite left behind: its installation's containers and built images.
      const [installation] = await t.dataSource.query<{ id: string }[]>(
        'SELECT id FROM installation',
      );
      const built = await t.dataSource.query<{ image: string }[]>(
        'SELECT image FROM deployments WHERE source IS NOT NULL AND image IS NOT NULL',
      );
      await builder?.close();
      await t.close();
      const containers = await docker.listContainers({
        all: true,
        filters: { label: [`slipway.installation-id=${installation?.id ?? 'none'}`] },
      });
      for (const container of containers) {
        await docker
          .getContainer(container.Id)
          .remove({ force: true })
          .catch(() => undefined);
      }
      for (const { image } of built) {
        await docker
          .getImage(image)
          .remove({ force: true })
          .catch(() => undefined);
      }
      await docker
        .getImage(siteImage)
        .remove({ force: true })
        .catch(() => undefined);
      // Stateful services' volumes (a service deleted with keep_volumes leaves its own).
      const { Volumes: volumes } = await docker.listVolumes({
        filters: { label: [`slipway.installation-id=${installation?.id ?? 'none'}`] },
      });
      for (const volume of volumes ?? []) {
        await docker
          .getVolume(volume.Name)
          .remove()
          .catch(() => undefined);
      }
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
