import { Injectable } from '@nestjs/common';
import { BundleRejectedError, normalizeBundlePath } from '@slipway/source-bundle';
import { DomainError } from '../common/errors/domain-error';
import { type RepoDto } from '../services/repo.dto';
import { type Service } from '../services/service.entity';
import { ServiceRepositories } from '../services/service-repositories';
import { type ServiceRepository } from '../services/service-repository.entity';
import { ServicesService } from '../services/services.service';
import { type RepoDeployDto } from './deploy.dto';
import { type Deployment } from './deployment.entity';
import { DeploymentSettingsResolver } from './deployment-settings.resolver';
import { type DeploymentSettings, type StoredRepo } from './deployment-settings';
import { assertNotPaused, DeploymentsService } from './deployments.service';

export interface RepoDeployment {
  readonly deployment: Deployment;
  /** Set when this request connected the repository: shown once. */
  readonly webhookSecret?: string;
}

/** What `PUT /services/{id}` does with `repo`, checked first and applied after the rest. */
export interface RepoChange {
  apply(): Promise<{ webhookSecret?: string; deployed: boolean }>;
}

/**
 * Deploying from a git repository: connecting one (on deploy or update), and building its
 * branch head whenever what is built changes, a push arrives or a redeploy is asked.
 */
@Injectable()
export class GitDeploys {
  constructor(
    private readonly services: ServicesService,
    private readonly repos: ServiceRepositories,
    private readonly deployments: DeploymentsService,
    private readonly resolver: DeploymentSettingsResolver,
  ) {}

  /** `POST /deploy` with `repo`: the settings given, the repository's branch head. */
  async deploy(userId: string, serviceId: string, dto: RepoDeployDto): Promise<RepoDeployment> {
    const service = await this.services.get(userId, serviceId);
    assertNotPaused(service);
    const settings = await this.resolver.resolve(dto, service.port);
    const repo = normalized(dto.repo);
    const connected = await this.repos.connect(service.id, repo);
    const deployment = await this.deployments.launchFromRepo(
      userId,
      service,
      storedRepoOf(connected.repo),
      'deploy',
      settings,
    );
    return {
      deployment,
      ...(connected.webhookSecret && { webhookSecret: connected.webhookSecret }),
    };
  }

  /**
   * Connects, changes or (null) disconnects the repository. Checked now; `apply` saves it
   * and, when what is built changed, deploys the branch head with the current settings.
   */
  async prepareChange(
    userId: string,
    service: Service,
    dto: RepoDto | null,
    port?: number,
  ): Promise<RepoChange> {
    if (dto === null) {
      return {
        apply: async () => {
          await this.repos.disconnect(service.id);
          return { deployed: false };
        },
      };
    }
    assertNotPaused(service);
    const repo = normalized(dto);
    const current = await this.settingsFor(service);
    const settings = port === undefined ? current : { ...current, port };
    return {
      apply: async () => {
        const connected = await this.repos.connect(service.id, repo);
        if (connected.changed) {
          await this.deployments.launchFromRepo(
            userId,
            service,
            storedRepoOf(connected.repo),
            'repo_update',
            settings,
          );
        }
        return { webhookSecret: connected.webhookSecret, deployed: connected.changed };
      },
    };
  }

  /** The branch head again with the current settings: a push, or a redeploy. */
  async deployBranchHead(
    userId: string,
    service: Service,
    repo: ServiceRepository,
    trigger: 'git_push' | 'redeploy',
  ): Promise<Deployment> {
    return this.deployments.launchFromRepo(
      userId,
      service,
      storedRepoOf(repo),
      trigger,
      await this.settingsFor(service),
    );
  }

  /** The current deployment's whole configuration, else the defaults. */
  private async settingsFor(service: Service): Promise<DeploymentSettings> {
    const current = await this.deployments.findCurrent(service);
    return current?.settings ?? this.resolver.resolve({}, service.port);
  }
}

/** The Dockerfile and context as the builder will take them, refused here if they cannot be. */
function normalized(repo: RepoDto): RepoDto {
  const path = (field: 'file' | 'context'): string | undefined => {
    const value = repo.docker?.[field];
    if (value === undefined) return undefined;
    try {
      return normalizeBundlePath(`repo.docker.${field}`, value);
    } catch (error) {
      if (error instanceof BundleRejectedError) {
        throw DomainError.validation(error.reason.replaceAll('the bundle', 'the repository'));
      }
      throw error;
    }
  };
  return { ...repo, docker: { file: path('file'), context: path('context') } };
}

export function storedRepoOf(
  repo: ServiceRepository,
): Omit<StoredRepo, 'commitSha' | 'commitMessage'> {
  return {
    url: repo.url,
    branch: repo.branch,
    dockerFile: repo.dockerFile,
    dockerContext: repo.dockerContext,
    private: repo.authTokenCiphertext !== null,
  };
}
