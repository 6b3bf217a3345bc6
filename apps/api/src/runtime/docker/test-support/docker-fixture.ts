/**
 * A real Docker Engine for the docker runtime's end-to-end specs: a labelled test image,
 * exec and HTTP helpers, and cleanup of exactly what one suite created.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { text } from 'node:stream/consumers';
import type { ServiceSpec } from '@slipway/k8s-spec';
import Dockerode from 'dockerode';
import type { Endpoint } from '../../runtime-driver';
import { DockerRuntimeDriver, type DockerRuntimeOptions } from '../docker-runtime.driver';
import { DockerLogDemuxer } from '../docker-logs';

export const INDEX_HTML = '<h1>slipway docker runtime</h1>\n';
const TEST_LABEL = 'slipway.test';

function requiredEnv(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') {
    throw new Error(
      `${name} is not set. The docker runtime specs need a Docker Engine, a base image and a ` +
        'local registry: run `eval "$(scripts/setup-docker.sh)"` first.',
    );
  }
  return value;
}

/** One suite's engine resources, all carrying `slipway.test=<run>`. */
export class DockerFixture {
  readonly docker = new Dockerode();
  readonly run = `t${randomBytes(4).toString('hex')}`;
  readonly labels = { [TEST_LABEL]: this.run };
  readonly network = `slipway-test-${this.run}`;
  get baseImage(): string {
    return requiredEnv('SLIPWAY_TEST_BASE_IMAGE');
  }
  get registry(): string {
    return requiredEnv('SLIPWAY_TEST_REGISTRY');
  }
  /** Serves INDEX_HTML from /www with `httpd -f -p 8080` (the image's CMD). */
  readonly siteImage = `slipway-test/site-${this.run}:1`;
  private readonly registryManifests: string[] = [];

  /** Fails with how to get an engine, base image and registry when any is missing. */
  async setUp(): Promise<void> {
    void this.baseImage;
    void this.registry;
    await this.docker.ping();
    await this.buildImage(this.siteImage, this.labels);
  }

  driver(overrides: Partial<DockerRuntimeOptions> = {}): DockerRuntimeDriver {
    return new DockerRuntimeDriver(this.docker, {
      network: this.network,
      pullPolicy: 'missing',
      collectorEndpoint: 'http://collector.invalid:4318',
      stopTimeoutSeconds: 1,
      readinessPollMs: 100,
      labels: this.labels,
      ...overrides,
    });
  }

  /** A spec for a fresh service (unique ids) running the site image. */
  spec(overrides: Partial<ServiceSpec> = {}): ServiceSpec {
    return {
      org: { id: randomUUID(), name: 'acme' },
      project: { id: randomUUID(), name: 'web' },
      service: { id: randomUUID(), name: 'site' },
      deploymentId: randomUUID(),
      image: this.siteImage,
      serviceToken: `slp_st_${randomBytes(8).toString('hex')}`,
      ...overrides,
    };
  }

  /** Builds a tiny image FROM the base image with the site in /www. */
  /** Builds the site image, or `dockerfile` (its context holds index.html too). */
  async buildImage(
    tag: string,
    labels: Record<string, string>,
    dockerfile = `FROM ${this.baseImage}\nCOPY index.html /www/index.html\nCMD ["httpd","-f","-p","8080","-h","/www"]\n`,
  ): Promise<void> {
    const dir = await mkdtemp(join(tmpdir(), 'slipway-docker-e2e-'));
    try {
      await writeFile(join(dir, 'Dockerfile'), dockerfile);
      await writeFile(join(dir, 'index.html'), INDEX_HTML);
      const stream = await this.docker.buildImage(
        { context: dir, src: ['Dockerfile', 'index.html'] },
        { t: tag, labels: { ...labels, ...this.labels } },
      );
      await this.follow(stream);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  /** Pushes `tag` to the test registry as `<registry>/slipway-test-<run>/<name>:1`; returns the digest. */
  async pushToRegistry(name: string): Promise<{ repository: string; digest: string }> {
    const repository = `${this.registry}/slipway-test-${this.run}/${name}`;
    await this.docker.getImage(this.siteImage).tag({ repo: repository, tag: '1' });
    await this.follow(
      await this.docker
        .getImage(`${repository}:1`)
        .push({ authconfig: { serveraddress: this.registry } }),
    );
    const info = await this.docker.getImage(`${repository}:1`).inspect();
    const digest = info.RepoDigests.find((entry) => entry.startsWith(`${repository}@`))?.split(
      '@',
    )[1];
    if (digest === undefined) throw new Error(`no digest for ${repository} after push`);
    this.registryManifests.push(`${repository.slice(this.registry.length + 1)}@${digest}`);
    return { repository, digest };
  }

  private async follow(stream: NodeJS.ReadableStream): Promise<void> {
    const events = await new Promise<{ error?: string }[]>((resolve, reject) => {
      this.docker.modem.followProgress(
        stream,
        (error: Error | null, output: { error?: string }[]) =>
          error === null ? resolve(output) : reject(error),
      );
    });
    const failed = events.find((event) => event.error !== undefined);
    if (failed !== undefined) throw new Error(failed.error);
  }

  container(name: string): Dockerode.Container {
    return this.docker.getContainer(name);
  }

  /** Runs `cmd` in a running container as its own user; resolves with exit code and output. */
  async exec(name: string, cmd: string[]): Promise<{ exitCode: number | null; output: string }> {
    const exec = await this.container(name).exec({
      Cmd: cmd,
      AttachStdout: true,
      AttachStderr: true,
    });
    const stream = await exec.start({ hijack: true, stdin: false });
    const output = await text(stream.pipe(new DockerLogDemuxer()));
    const info = await exec.inspect();
    return { exitCode: info.ExitCode, output };
  }

  /** Containers of one deployment (any state), by label. */
  async deploymentContainers(deploymentId: string): Promise<Dockerode.ContainerInfo[]> {
    return this.docker.listContainers({
      all: true,
      filters: { label: [`slipway.deployment-id=${deploymentId}`, `${TEST_LABEL}=${this.run}`] },
    });
  }

  async tearDown(): Promise<void> {
    const filters = { label: [`${TEST_LABEL}=${this.run}`] };
    const containers = await this.docker.listContainers({ all: true, filters });
    await Promise.all(
      containers.map((info) =>
        this.docker.getContainer(info.Id).remove({ force: true }).catch(ignore),
      ),
    );
    for (const image of await this.docker.listImages({ filters })) {
      for (const reference of [...(image.RepoTags ?? []), image.Id]) {
        await this.docker.getImage(reference).remove({ force: true }).catch(ignore);
      }
    }
    for (const manifest of this.registryManifests) {
      const [repository, digest] = manifest.split('@');
      await fetch(`http://${this.registry}/v2/${repository}/manifests/${digest}`, {
        method: 'DELETE',
      }).catch(ignore);
    }
    await this.docker.getNetwork(this.network).remove().catch(ignore);
  }
}

function ignore(): void {}

export interface HttpAnswer {
  readonly status: number;
  readonly body: string;
}

/**
 * GET over a fresh connection, so nothing is reused across a rollout. The timeout is
 * generous: on a loaded machine a healthy instance may take seconds to answer.
 */
export function httpGet(
  endpoint: Endpoint,
  path = '/index.html',
  timeoutMs = 10_000,
): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: endpoint.host, port: endpoint.port, path, agent: false, timeout: timeoutMs },
      (res) => {
        text(res).then((body) => resolve({ status: res.statusCode ?? 0, body }), reject);
      },
    );
    req.once('timeout', () => req.destroy(new Error(`GET ${path} timed out`)));
    req.once('error', reject);
    req.end();
  });
}

export { eventually } from '../../../../test/support/eventually';
