import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { ErrorCode, type Labels } from '@slipway/contracts';
import { type FindOptionsOrder, type Repository } from 'typeorm';
import { DomainError } from '../common/errors/domain-error';
import { type PageRequest } from '../common/http/pagination.dto';
import { type LabelSelector } from '../common/validation/label-filter';
import { labelsMatch } from '../database/labels-match';
import { type DeploymentSettings } from '../deployments/deployment-settings';
import { Deployment } from '../deployments/deployment.entity';
import { DEFAULT_PROFILES } from './default-profiles';
import { ResourceProfile, type ProfilePurpose } from './resource-profile.entity';

export const PROFILE_SORTS = [
  'sort_order',
  '-sort_order',
  'name',
  '-name',
  'created_at',
  '-created_at',
] as const;
export type ProfileSort = (typeof PROFILE_SORTS)[number];

const SORT_COLUMNS: Record<string, keyof ResourceProfile> = {
  sort_order: 'sortOrder',
  name: 'name',
  created_at: 'createdAt',
};

/** The key of the deployment settings (JSONB) that names the profile a deployment used. */
const PROFILE_SETTING: keyof DeploymentSettings = 'resourceProfileId';
/** How many of the services using a profile a refused deletion names. */
const SERVICES_NAMED = 3;

/** The fields to change; undefined leaves one as it is (a null description removes it). */
export interface ProfileChanges {
  description?: string | null;
  labels?: Labels;
}

@Injectable()
export class ResourceProfilesService {
  constructor(
    @InjectRepository(ResourceProfile) private readonly profiles: Repository<ResourceProfile>,
  ) {}

  async list(
    purpose: ProfilePurpose | undefined,
    sort: ProfileSort,
    labels: readonly LabelSelector[],
    page: PageRequest,
  ): Promise<[ResourceProfile[], number]> {
    const descending = sort.startsWith('-');
    const column = SORT_COLUMNS[sort.replace(/^-/, '')] ?? 'sortOrder';
    const order = {
      [column]: descending ? 'DESC' : 'ASC',
      id: 'ASC',
    } as FindOptionsOrder<ResourceProfile>;
    return this.profiles.findAndCount({
      where: { ...(purpose ? { purpose } : {}), ...labelsMatch(labels) },
      order,
      skip: page.skip,
      take: page.perPage,
    });
  }

  async get(id: string): Promise<ResourceProfile> {
    const profile = await this.profiles.findOne({ where: { id } });
    if (!profile) throw DomainError.notFound('Resource profile', id);
    return profile;
  }

  async create(
    fields: Omit<ResourceProfile, 'id' | 'createdAt' | 'updatedAt'>,
  ): Promise<ResourceProfile> {
    if (await this.profiles.findOne({ where: { name: fields.name } })) {
      throw new DomainError(
        ErrorCode.AlreadyExists,
        `A resource profile named '${fields.name}' already exists`,
      );
    }
    return this.profiles.save(this.profiles.create(fields));
  }

  async update(id: string, changes: ProfileChanges): Promise<ResourceProfile> {
    const profile = await this.get(id);
    if (changes.description !== undefined) profile.description = changes.description;
    if (changes.labels !== undefined) profile.labels = changes.labels;
    return this.profiles.save(profile);
  }

  /**
   * Deletes a profile nothing refers to. The built-in ones would come back at the next start,
   * so they stay; a profile deployments were made with stays while any of them is kept (they
   * show its id, and a redeploy or rollback carries it on).
   */
  async delete(id: string): Promise<ResourceProfile> {
    const profile = await this.get(id);
    if (DEFAULT_PROFILES.some((seed) => seed.name === profile.name)) {
      throw new DomainError(
        ErrorCode.ResourceProfileBuiltIn,
        `Resource profile '${profile.name}' is built in (seeded at every start) and cannot be deleted; its description and labels can change`,
      );
    }
    await this.assertUnused(profile);
    await this.profiles.delete({ id: profile.id });
    return profile;
  }

  async ensureDefaults(): Promise<void> {
    await this.profiles
      .createQueryBuilder()
      .insert()
      .values(DEFAULT_PROFILES.map((profile) => ({ ...profile, purpose: 'service' as const })))
      .orIgnore()
      .execute();
  }

  private async assertUnused(profile: ResourceProfile): Promise<void> {
    const usage = await this.profiles.manager
      .getRepository(Deployment)
      .createQueryBuilder('d')
      .select('count(*)::int', 'deployments')
      .addSelect('count(DISTINCT d.service_id)::int', 'services')
      .addSelect(`(array_agg(DISTINCT d.service_id::text))[1:${SERVICES_NAMED}]`, 'named')
      .where(`d.settings ->> '${PROFILE_SETTING}' = :id`, { id: profile.id })
      .getRawOne<{ deployments: number; services: number; named: string[] | null }>();
    if (!usage || usage.deployments === 0) return;
    const more = usage.services > SERVICES_NAMED ? ', …' : '';
    throw new DomainError(
      ErrorCode.ResourceProfileInUse,
      `Resource profile '${profile.name}' is used by ${plural(usage.deployments, 'deployment')} of ${plural(usage.services, 'service')} (${(usage.named ?? []).join(', ')}${more}); it can be deleted once no deployment refers to it (deleting a service deletes its deployments)`,
    );
  }
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
