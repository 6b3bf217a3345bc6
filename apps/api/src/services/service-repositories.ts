import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DEFAULT_GIT_USERNAME, gitWebhookPath, type GitCredentials } from '@slipway/contracts';
import { In, Repository } from 'typeorm';
import { SecretBox } from '../common/crypto/crypto.module';
import { type RepoDto, type RepoView } from './repo.dto';
import { ServiceRepository } from './service-repository.entity';

export interface ConnectedRepo {
  readonly repo: ServiceRepository;
  /** The new webhook secret, when this call connected the repository (shown once). */
  readonly webhookSecret?: string;
  /** Whether what is built changed (repository, branch, Dockerfile, context or token). */
  readonly changed: boolean;
}

/**
 * The git repository a service deploys from: stored with its token and webhook secret
 * sealed, shown without them (the secret once, when it is made).
 */
@Injectable()
export class ServiceRepositories {
  constructor(
    @InjectRepository(ServiceRepository) private readonly repos: Repository<ServiceRepository>,
    private readonly secretBox: SecretBox,
  ) {}

  find(serviceId: string): Promise<ServiceRepository | null> {
    return this.repos.findOneBy({ serviceId });
  }

  async findMany(serviceIds: readonly string[]): Promise<Map<string, ServiceRepository>> {
    if (serviceIds.length === 0) return new Map();
    const rows = await this.repos.findBy({ serviceId: In([...serviceIds]) });
    return new Map(rows.map((row) => [row.serviceId, row]));
  }

  /**
   * Connects `serviceId` to the repository, or changes it. A token left out stays, unless
   * the repository's host changed: a token is never sent anywhere it was not given for.
   */
  async connect(serviceId: string, dto: RepoDto): Promise<ConnectedRepo> {
    const existing = await this.find(serviceId);
    const sameHost = existing !== null && new URL(existing.url).host === new URL(dto.url).host;
    const keepsToken = dto.auth === undefined && sameHost;
    const next = this.repos.create({
      serviceId,
      url: dto.url,
      branch: dto.branch,
      dockerFile: dto.docker?.file ?? existing?.dockerFile ?? 'Dockerfile',
      dockerContext: dto.docker?.context ?? existing?.dockerContext ?? '.',
      authUsername: dto.auth
        ? (dto.auth.username ?? DEFAULT_GIT_USERNAME)
        : keepsToken
          ? existing.authUsername
          : null,
      authTokenCiphertext: dto.auth
        ? this.secretBox.encrypt(dto.auth.token)
        : keepsToken
          ? existing.authTokenCiphertext
          : null,
      webhookSecretCiphertext: existing?.webhookSecretCiphertext ?? '',
    });
    let webhookSecret: string | undefined;
    if (!existing) {
      webhookSecret = randomBytes(32).toString('base64url');
      next.webhookSecretCiphertext = this.secretBox.encrypt(webhookSecret);
    }
    const changed =
      !existing ||
      existing.url !== next.url ||
      existing.branch !== next.branch ||
      existing.dockerFile !== next.dockerFile ||
      existing.dockerContext !== next.dockerContext ||
      dto.auth !== undefined ||
      existing.authTokenCiphertext !== next.authTokenCiphertext;
    const repo = await this.repos.save(next);
    return { repo, changed, ...(webhookSecret !== undefined && { webhookSecret }) };
  }

  /** Resolves whether there was one. */
  async disconnect(serviceId: string): Promise<boolean> {
    const result = await this.repos.delete({ serviceId });
    return (result.affected ?? 0) > 0;
  }

  webhookSecret(repo: ServiceRepository): string {
    return this.secretBox.decrypt(repo.webhookSecretCiphertext);
  }

  /** HTTP Basic for the clone; null for a public repository. */
  credentials(repo: ServiceRepository): GitCredentials | null {
    if (repo.authTokenCiphertext === null) return null;
    return {
      username: repo.authUsername ?? DEFAULT_GIT_USERNAME,
      password: this.secretBox.decrypt(repo.authTokenCiphertext),
    };
  }
}

/** `publicUrl`: the API's address as git hosts reach it. */
export function toRepoView(
  repo: ServiceRepository,
  publicUrl: string,
  webhookSecret?: string,
): RepoView {
  return {
    url: repo.url,
    branch: repo.branch,
    docker: { file: repo.dockerFile, context: repo.dockerContext },
    private: repo.authTokenCiphertext !== null,
    webhook_url: `${publicUrl.replace(/\/$/, '')}${gitWebhookPath(repo.serviceId)}`,
    ...(webhookSecret !== undefined && { webhook_secret: webhookSecret }),
  };
}
