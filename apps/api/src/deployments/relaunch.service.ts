import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { CONTAINER_PORT, ErrorCode } from '@slipway/contracts';
import { DataSource } from 'typeorm';
import { fetch } from 'undici';
import { SecretBox } from '../common/crypto/crypto.module';
import { DomainError } from '../common/errors/domain-error';
import { APP_CONFIG } from '../config/config.module';
import { type AppConfig } from '../config/config.schema';
import { type Service } from '../services/service.entity';
import { ServiceRepositories } from '../services/service-repositories';
import { ServicesService } from '../services/services.service';
import { Deployment } from './deployment.entity';
import { type DeploymentSettings } from './deployment-settings';
import { DeploymentsService } from './deployments.service';
import { GitDeploys } from './git-deploys';
import { registryAuthHeader, registryManifestUrl } from './registry-images';

export interface EnvEntry {
  readonly name: string;
  readonly value: string;
  readonly secret?: boolean;
}

/**
 * New deployments made from earlier ones: redeploy (the current one again), rollback (an
 * earlier one's image and whole configuration) and env updates. Each is an ordinary
 * deployment, so it rolls out without downtime and shows in the history.
 */
@Injectable()
export class RelaunchService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly services: ServicesService,
    private readonly deployments: DeploymentsService,
    private readonly secretBox: SecretBox,
    private readonly repos: ServiceRepositories,
    private readonly git: GitDeploys,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * The current deployment again; a source deployment is rebuilt from its stored bundle, a
   * git one from its repository's branch head (the latest commit, as a push would).
   */
  async redeploy(userId: string, serviceId: string): Promise<Deployment> {
    const service = await this.services.get(userId, serviceId);
    const current = await this.deployments.current(service);
    if (current.repo) {
      const repo = await this.repos.find(service.id);
      if (repo) return this.git.deployBranchHead(userId, service, repo, 'redeploy');
    }
    return this.relaunch(userId, service, current, current.settings, 'redeploy', {
      rebuild: current.source !== null,
    });
  }

  /** The deployment's image (by digest, when known) with its whole configuration. */
  async rollback(userId: string, serviceId: string, deploymentId: string): Promise<Deployment> {
    const service = await this.services.get(userId, serviceId);
    const target = await this.dataSource
      .getRepository(Deployment)
      .findOne({ where: { id: deploymentId, serviceId } });
    if (!target) throw DomainError.notFound('Deployment', deploymentId);
    if ((target.source !== null || target.repo !== null) && target.imageDigest === null) {
      throw new DomainError(
        ErrorCode.Conflict,
        `Deployment ${deploymentId} never produced an image (it ended ${target.status}); roll back to one that built`,
      );
    }
    await this.assertImageStillExists(target);
    return this.relaunch(userId, service, target, target.settings, 'rollback', { rebuild: false });
  }

  /** Replaces the env set of the current deployment and rolls it out. */
  async replaceEnv(
    userId: string,
    serviceId: string,
    env: readonly EnvEntry[],
  ): Promise<Deployment> {
    const service = await this.services.get(userId, serviceId);
    const current = await this.deployments.current(service);
    const seen = new Set<string>();
    for (const entry of env) {
      if (seen.has(entry.name)) {
        throw DomainError.validation(`env: '${entry.name}' is given more than once`);
      }
      seen.add(entry.name);
    }
    const settings: DeploymentSettings = {
      ...current.settings,
      env: env.map((entry) => ({
        name: entry.name,
        value: entry.secret ? this.secretBox.encrypt(entry.value) : entry.value,
        secret: entry.secret ?? false,
      })),
    };
    return this.relaunch(userId, service, current, settings, 'env_update', { rebuild: false });
  }

  /**
   * The current deployment again on `port`, checked now and launched by the returned step
   * (after the caller has saved the port). Null when no deployment would change: none ran
   * yet, or it already listens there. A paused service is refused: nothing would roll out.
   */
  async preparePortChange(
    userId: string,
    service: Service,
    port: number,
  ): Promise<(() => Promise<Deployment>) | null> {
    const current = await this.deployments.findCurrent(service);
    if (!current?.image || (current.settings.port ?? CONTAINER_PORT) === port) return null;
    if (service.instances === 0) {
      throw new DomainError(
        ErrorCode.Conflict,
        `Service ${service.id} is paused; scale it up before changing its port`,
      );
    }
    const settings: DeploymentSettings = { ...current.settings, port };
    const ref = await this.deployments.refOf(service);
    this.deployments.assertSpec(service, ref, randomUUID(), current.image, null, settings);
    return () =>
      this.relaunch(userId, service, current, settings, 'port_update', { rebuild: false });
  }

  private async relaunch(
    userId: string,
    service: Service,
    from: Deployment,
    settings: DeploymentSettings,
    trigger: 'redeploy' | 'rollback' | 'env_update' | 'port_update',
    { rebuild }: { rebuild: boolean },
  ): Promise<Deployment> {
    if (!from.image)
      throw new DomainError(ErrorCode.Conflict, `Deployment ${from.id} has no image`);
    const ref = await this.deployments.refOf(service);
    const id = randomUUID();
    // A rebuild pushes a new tag; otherwise the same image, pinned by digest when known.
    const image = rebuild ? from.image.replace(/:[^:/]+$/, `:${id}`) : from.image;
    const imageDigest = rebuild ? null : from.imageDigest;
    this.deployments.assertSpec(service, ref, id, image, imageDigest, settings);
    return this.deployments.launch(userId, service, ref, {
      id,
      trigger,
      image,
      imageDigest,
      source: from.source,
      build: rebuild,
      settings,
    });
  }

  /** A built image whose manifest the registry no longer has cannot come back. */
  private async assertImageStillExists(target: Deployment): Promise<void> {
    if (!target.source || !target.image || !target.imageDigest) return;
    const url = registryManifestUrl(this.config, target.image, target.imageDigest);
    if (!url) return;
    const response = await fetch(url, {
      method: 'HEAD',
      headers: {
        accept:
          'application/vnd.docker.distribution.manifest.v2+json, application/vnd.oci.image.manifest.v1+json',
        ...registryAuthHeader(this.config),
      },
      signal: AbortSignal.timeout(10_000),
    }).catch(() => undefined);
    if (response?.status === 404) {
      throw new DomainError(
        ErrorCode.Conflict,
        `The image of deployment ${target.id} (${target.image}@${target.imageDigest}) was deleted from the registry; it cannot be rolled back to`,
      );
    }
  }
}
