import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { CHANNELS, KeyChangeMessageSchema, type Labels } from '@slipway/contracts';
import { In, IsNull, type FindOptionsWhere, type Repository } from 'typeorm';
import { generateCredential } from '../common/crypto/credentials';
import { CredentialHasher } from '../common/crypto/crypto.module';
import { DomainError } from '../common/errors/domain-error';
import { type PageRequest } from '../common/http/pagination.dto';
import { type LabelSelector } from '../common/validation/label-filter';
import { labelsMatch } from '../database/labels-match';
import { OrgsService } from '../orgs/orgs.service';
import { ProjectsService } from '../projects/projects.service';
import { RedisClient } from '../redis/redis.module';
import { AccessKey } from './access-key.entity';

export interface AccessKeyScope {
  orgId?: string;
  projectId?: string;
}

/** What a key is created with besides its name and scope; it never changes afterwards. */
export interface AccessKeyOptions {
  expiresAt: Date | null;
  labels: Labels;
}

/** Access Keys for calling private services; org-wide or limited to one project. */
@Injectable()
export class AccessKeysService {
  private readonly logger = new Logger(AccessKeysService.name);

  constructor(
    @InjectRepository(AccessKey) private readonly keys: Repository<AccessKey>,
    private readonly orgs: OrgsService,
    private readonly projects: ProjectsService,
    private readonly hasher: CredentialHasher,
    private readonly redis: RedisClient,
  ) {}

  async create(
    userId: string,
    name: string,
    scope: AccessKeyScope,
    { expiresAt, labels }: AccessKeyOptions,
  ): Promise<{ key: AccessKey; plaintext: string }> {
    const { orgId, projectId } = await this.resolveScope(userId, scope);
    const plaintext = generateCredential('accessKey');
    const key = await this.keys.save(
      this.keys.create({
        name,
        orgId,
        projectId,
        createdBy: userId,
        expiresAt,
        labels,
        revokedAt: null,
        keyHash: this.hasher.hash(plaintext),
        lastFour: plaintext.slice(-4),
      }),
    );
    await this.announce(CHANNELS.accessKeysCreated, key.id, 'creation');
    return { key, plaintext };
  }

  async list(
    userId: string,
    scope: AccessKeyScope,
    labels: readonly LabelSelector[],
    page: PageRequest,
  ): Promise<[AccessKey[], number]> {
    let where: FindOptionsWhere<AccessKey>;
    if (scope.projectId) {
      const project = await this.projects.requireAccessible(userId, scope.projectId, scope.orgId);
      where = { projectId: project.id };
    } else if (scope.orgId) {
      await this.orgs.requireMembership(userId, scope.orgId);
      where = { orgId: scope.orgId };
    } else {
      where = { orgId: In(await this.orgs.orgIdsOf(userId)) };
    }
    return this.keys.findAndCount({
      where: { ...where, ...labelsMatch(labels) },
      order: { createdAt: 'DESC', id: 'ASC' },
      skip: page.skip,
      take: page.perPage,
    });
  }

  async revoke(userId: string, id: string): Promise<AccessKey> {
    const key = await this.keys.findOne({ where: { id } });
    if (!key || !(await this.orgs.isMember(userId, key.orgId)))
      throw DomainError.notFound('Access key', id);
    if (key.revokedAt) return key;
    await this.keys.update({ id, revokedAt: IsNull() }, { revokedAt: () => 'now()' });
    const revoked = await this.keys.findOneOrFail({ where: { id } });
    await this.announce(CHANNELS.accessKeyRevocations, revoked.id, 'revocation');
    return revoked;
  }

  /**
   * Tells every edge to read its keys now, so a new key works and a revoked one stops at once.
   * A lost message is covered by the edge's own polling (every 250 ms by default).
   */
  private async announce(
    channel: typeof CHANNELS.accessKeysCreated | typeof CHANNELS.accessKeyRevocations,
    id: string,
    what: string,
  ): Promise<void> {
    try {
      await this.redis.connection.publish(
        channel,
        JSON.stringify(KeyChangeMessageSchema.parse({ id, at: new Date().toISOString() })),
      );
    } catch (error) {
      this.logger.warn(`${what} of access key ${id} not published: ${(error as Error).message}`);
    }
  }

  private async resolveScope(
    userId: string,
    scope: AccessKeyScope,
  ): Promise<{ orgId: string; projectId: string | null }> {
    if (scope.projectId) {
      const project = await this.projects.requireAccessible(userId, scope.projectId);
      if (scope.orgId && scope.orgId !== project.orgId) {
        throw DomainError.validation('org_id: the project belongs to another organization');
      }
      return { orgId: project.orgId, projectId: project.id };
    }
    if (!scope.orgId) throw DomainError.validation('org_id: required unless project_id is given');
    await this.orgs.requireMembership(userId, scope.orgId);
    return { orgId: scope.orgId, projectId: null };
  }
}
