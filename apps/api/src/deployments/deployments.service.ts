import { randomBytes, randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  CONTAINER_PORT,
  ErrorCode,
  IN_PROGRESS_DEPLOYMENT_STATUSES,
  type DeployTrigger,
} from '@slipway/contracts';
import { DataSource, In } from 'typeorm';
import { CredentialHasher, SecretBox } from '../common/crypto/crypto.module';
import { DomainError } from '../common/errors/domain-error';
import { type PageRequest } from '../common/http/pagination.dto';
import { APP_CONFIG } from '../config/config.module';
import { type AppConfig } from '../config/config.schema';
import { buildDestination } from '../runtime/identity';
import { type ServiceRef } from '../runtime/runtime-driver';
import { ServiceRoute } from '../routes/service-route.entity';
import { Service } from '../services/service.entity';
import { ServicesService } from '../services/services.service';
import { BundleIntake, type UploadedBundle } from './bundle-intake';
import { DeployQueue } from './deploy-queue';
import { type ImageDeployDto, type RepoDeployDto, type SourceDeployDto } from './deploy.dto';
import { Deployment } from './deployment.entity';
import { DeploymentSettingsResolver } from './deployment-settings.resolver';
import { type DeploymentSettings, type StoredRepo, type StoredSource } from './deployment-settings';
import { buildPayloadOf } from './build-payload';
import { type ServiceSpec } from '@slipway/k8s-spec';
import { assertDeployable, serviceSpecOf } from './service-spec.factory';
import { ServiceStatusUpdater } from './service-status';

export interface LaunchPlan {
  readonly id: string;
  readonly trigger: DeployTrigger;
  readonly image: string;
  readonly imageDigest: string | null;
  readonly source: StoredSource | null;
  /** Build from this repository's branch head (set instead of `source`). */
  readonly repo?: StoredRepo | null;
  /** Build `source` or `repo` first (a new upload or push, or a redeploy of one). */
  readonly build: boolean;
  readonly settings: DeploymentSettings;
}

export type DeployRequestInput =
  | { readonly kind: 'image'; readonly dto: ImageDeployDto }
  | { readonly kind: 'repo'; readonly dto: RepoDeployDto }
  | { readonly kind: 'source'; readonly dto: SourceDeployDto; readonly upload: UploadedBundle };

/** Creates deployments and answers for them; the deploy processor carries them out. */
@Injectable()
export class DeploymentsService {
  private readonly logger = new Logger(DeploymentsService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly services: ServicesService,
    private readonly resolver: DeploymentSettingsResolver,
    private readonly intake: BundleIntake,
    private readonly queue: DeployQueue,
    private readonly secretBox: SecretBox,
    private readonly hasher: CredentialHasher,
    private readonly statuses: ServiceStatusUpdater,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** An image, or an uploaded source bundle (repositories: GitDeploys). */
  async deploy(
    userId: string,
    serviceId: string,
    input: Exclude<DeployRequestInput, { kind: 'repo' }>,
  ): Promise<Deployment> {
    const service = await this.services.get(userId, serviceId);
    const ref = await this.refOf(service);
    const settings = await this.resolver.resolve(input.dto, service.port);
    const id = randomUUID();
    const image =
      input.kind === 'image'
        ? input.dto.image
        : buildDestination(this.config.registry.host, ref, id);
    this.assertSpec(service, ref, id, image, null, settings);

    let source: StoredSource | null = null;
    if (input.kind === 'source') {
      const paths = this.intake.paths(input.dto.docker);
      source = await this.intake.accept(input.upload, service.id, id, paths);
    }
    return this.launch(userId, service, ref, {
      id,
      trigger: 'deploy',
      image,
      imageDigest: null,
      source,
      build: input.kind === 'source',
      settings,
    });
  }

  /**
   * A deployment built from `repo`'s branch head (the commit is recorded once cloned):
   * a deploy naming the repository, a push, a redeploy or a change of what is built.
   */
  async launchFromRepo(
    userId: string,
    service: Service,
    repo: Omit<StoredRepo, 'commitSha' | 'commitMessage'>,
    trigger: DeployTrigger,
    settings: DeploymentSettings,
  ): Promise<Deployment> {
    const ref = await this.refOf(service);
    const id = randomUUID();
    const image = buildDestination(this.config.registry.host, ref, id);
    this.assertSpec(service, ref, id, image, null, settings);
    return this.launch(userId, service, ref, {
      id,
      trigger,
      image,
      imageDigest: null,
      source: null,
      repo: { ...repo, commitSha: null, commitMessage: null },
      build: true,
      settings,
    });
  }

  /** Throws a 400 listing what a runtime would refuse in this deployment's spec. */
  assertSpec(
    service: Service,
    ref: ServiceRef,
    deploymentId: string,
    image: string,
    imageDigest: string | null,
    settings: DeploymentSettings,
  ): void {
    assertDeployable(this.specOf(service, ref, { id: deploymentId, image, imageDigest, settings }));
  }

  /** What the runtime gets for `deployment` on `service` now (secrets opened, scale applied). */
  specOf(
    service: Service,
    ref: ServiceRef,
    deployment: Pick<Deployment, 'id' | 'imageDigest' | 'settings'> & { image: string },
  ): ServiceSpec {
    return serviceSpecOf({
      ref,
      deploymentId: deployment.id,
      image: deployment.image,
      imageDigest: deployment.imageDigest,
      settings: deployment.settings,
      openSecret: (sealed) => this.secretBox.decrypt(sealed),
      serviceToken: this.secretBox.decrypt(service.tokenCiphertext),
      accessType: service.accessType,
      instances: service.instances,
      customDomains: service.domains,
    });
  }

  /** The deployment serving now, else the newest that succeeded. */
  async current(service: Service): Promise<Deployment> {
    const current = await this.findCurrent(service);
    if (!current) {
      throw new DomainError(
        ErrorCode.Conflict,
        `Service ${service.id} has no deployment that succeeded yet; deploy one first`,
      );
    }
    return current;
  }

  /** As `current`, null when the service has never run. */
  async findCurrent(service: Service): Promise<Deployment | null> {
    const deployments = this.dataSource.getRepository(Deployment);
    const route = await this.dataSource
      .getRepository(ServiceRoute)
      .findOne({ where: { serviceId: service.id } });
    const live = route?.deploymentId
      ? await deployments.findOne({ where: { id: route.deploymentId } })
      : null;
    return (
      live ??
      deployments.findOne({
        where: { serviceId: service.id, status: 'succeeded' },
        order: { createdAt: 'DESC' },
      })
    );
  }

  /**
   * Records a new deployment, cancels the ones still in progress, and queues it: a build
   * first when `build`, else straight to the rollout. Every way of deploying ends here.
   */
  async launch(
    userId: string,
    service: Service,
    ref: ServiceRef,
    plan: LaunchPlan,
  ): Promise<Deployment> {
    const buildToken = plan.build ? randomBytes(32).toString('base64url') : undefined;
    const now = new Date();
    const deployment = await this.dataSource.transaction(async (manager) => {
      // Lock the service row: two deploys at once must agree on which one supersedes.
      assertNotPaused(await this.services.lockRow(manager, service.id));
      const repo = manager.getRepository(Deployment);
      const superseded = await repo.find({
        where: { serviceId: service.id, status: In([...IN_PROGRESS_DEPLOYMENT_STATUSES]) },
      });
      for (const older of superseded) {
        older.status = 'cancelled';
        older.endedAt = now;
        older.failureReason = `superseded by deployment ${plan.id}`;
        older.buildTokenHash = null;
      }
      await repo.save(superseded);
      // The service's port follows its newest deployment (a rollback brings the old one back).
      await manager
        .getRepository(Service)
        .update(
          { id: service.id },
          { status: 'deploying', port: plan.settings.port ?? CONTAINER_PORT },
        );
      const created = repo.create({
        id: plan.id,
        serviceId: service.id,
        orgId: service.orgId,
        projectId: service.projectId,
        status: plan.build ? 'building' : 'deploying',
        trigger: plan.trigger,
        startedBy: userId,
        startedAt: now,
        endedAt: null,
        image: plan.image,
        imageDigest: plan.imageDigest,
        source: plan.source,
        repo: plan.repo ?? null,
        settings: plan.settings,
        failureReason: null,
        buildTokenHash: buildToken ? this.hasher.hash(buildToken) : null,
        bundleFetches: 0,
      });
      return { created: await repo.save(created), superseded };
    });

    await Promise.all(deployment.superseded.map((older) => this.queue.discard(older.id)));
    await this.enqueue(deployment.created, plan.image, buildToken);
    return deployment.created;
  }

  async list(
    userId: string,
    serviceId: string,
    page: PageRequest,
  ): Promise<[Deployment[], number]> {
    await this.services.get(userId, serviceId);
    return this.dataSource.getRepository(Deployment).findAndCount({
      where: { serviceId },
      order: { createdAt: 'DESC', id: 'DESC' },
      skip: page.skip,
      take: page.perPage,
    });
  }

  async get(userId: string, serviceId: string, deploymentId: string): Promise<Deployment> {
    await this.services.get(userId, serviceId);
    const deployment = await this.dataSource
      .getRepository(Deployment)
      .findOne({ where: { id: deploymentId, serviceId } });
    if (!deployment) throw DomainError.notFound('Deployment', deploymentId);
    return deployment;
  }

  refOf(service: Service): Promise<ServiceRef> {
    return this.services.refOf(service);
  }

  /** A deployment that cannot be queued ends failed at once: nothing is left `building`. */
  private async enqueue(deployment: Deployment, image: string, buildToken?: string): Promise<void> {
    const build =
      buildToken === undefined
        ? undefined
        : buildPayloadOf(deployment, image, buildToken, this.config.internalUrl);
    try {
      await this.queue.enqueue(
        {
          deploymentId: deployment.id,
          serviceId: deployment.serviceId,
          projectId: deployment.projectId,
          orgId: deployment.orgId,
          trigger: deployment.trigger,
          image: build ? undefined : image,
        },
        build,
      );
    } catch (error) {
      const reason = `could not queue the deployment: ${(error as Error).message}`;
      this.logger.error(`deployment ${deployment.id}: ${reason}`);
      await this.dataSource.transaction(async (manager) => {
        await manager.getRepository(Deployment).update(
          { id: deployment.id },
          {
            status: 'deployment_failed',
            endedAt: new Date(),
            failureReason: reason,
            buildTokenHash: null,
          },
        );
        await this.statuses.refresh(deployment.serviceId, manager);
      });
      throw new DomainError(
        ErrorCode.ServiceUnavailable,
        `The deployment could not be queued; try again shortly (${reason})`,
      );
    }
  }
}

/** A paused service (scaled to 0) takes no deployment: nothing would roll out. */
export function assertNotPaused(service: Pick<Service, 'id' | 'instances'>): void {
  if (service.instances === 0) {
    throw new DomainError(
      ErrorCode.Conflict,
      `Service ${service.id} is paused; scale it up (POST /v1/services/${service.id}/scale) before deploying`,
    );
  }
}
