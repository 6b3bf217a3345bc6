import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, IsNull, Not } from 'typeorm';
import { fetch } from 'undici';
import { APP_CONFIG } from '../config/config.module';
import { type AppConfig } from '../config/config.schema';
import { Deployment } from './deployment.entity';

const LOOPBACK = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])(:\d+)?$/;

/**
 * Deletes the images Slipway built for a service from the registry it pushed them to
 * (registry API v2: `DELETE /v2/<name>/manifests/<digest>`; the registry must allow
 * deletes, and its garbage collector frees the blobs). Images users brought are theirs.
 */
@Injectable()
export class RegistryImages {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** References of the images built for the service (the deployment id is each one's tag). */
  async builtImages(serviceId: string): Promise<string[]> {
    return (await this.built(serviceId)).map((built) => built.image);
  }

  async deleteBuiltImages(serviceId: string): Promise<void> {
    for (const { image, digest } of await this.built(serviceId)) {
      if (digest) await this.deleteManifest(image, digest);
    }
  }

  private async built(serviceId: string): Promise<{ image: string; digest: string | null }[]> {
    const rows = await this.dataSource.getRepository(Deployment).find({
      where: { serviceId, source: Not(IsNull()), image: Not(IsNull()) },
      select: { id: true, image: true, imageDigest: true },
    });
    return rows.flatMap((row) =>
      row.image ? [{ image: row.image, digest: row.imageDigest }] : [],
    );
  }

  private async deleteManifest(image: string, digest: string): Promise<void> {
    const url = registryManifestUrl(this.config, image, digest);
    if (!url) return; // pushed to another registry before a config change
    const response = await fetch(url, {
      method: 'DELETE',
      headers: registryAuthHeader(this.config),
      signal: AbortSignal.timeout(10_000),
    });
    await response.body?.cancel();
    // 404: already gone. 405: the registry does not allow deletes; nothing more we can do.
    if (!response.ok && response.status !== 404 && response.status !== 405) {
      throw new Error(`registry answered ${response.status} deleting ${image}@${digest}`);
    }
  }
}

/** The registry API URL of an image's manifest, when the image is in the configured registry. */
export function registryManifestUrl(
  config: AppConfig,
  image: string,
  digest: string,
): string | undefined {
  const { host, apiUrl, insecure } = config.registry;
  if (!image.startsWith(`${host}/`)) return undefined;
  const repository = image.slice(host.length + 1).replace(/[:@].*$/, '');
  const scheme = insecure || LOOPBACK.test(host) ? 'http' : 'https';
  const base = (apiUrl ?? `${scheme}://${host}`).replace(/\/$/, '');
  return `${base}/v2/${repository}/manifests/${digest}`;
}

export function registryAuthHeader(config: AppConfig): Record<string, string> {
  const { username, password } = config.registry;
  return username && password
    ? { authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}` }
    : {};
}
