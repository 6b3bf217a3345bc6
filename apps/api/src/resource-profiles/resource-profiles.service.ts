import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { ErrorCode } from '@slipway/contracts';
import { type FindOptionsOrder, type Repository } from 'typeorm';
import { DomainError } from '../common/errors/domain-error';
import { type PageRequest } from '../common/http/pagination.dto';
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

@Injectable()
export class ResourceProfilesService {
  constructor(
    @InjectRepository(ResourceProfile) private readonly profiles: Repository<ResourceProfile>,
  ) {}

  async list(
    purpose: ProfilePurpose | undefined,
    sort: ProfileSort,
    page: PageRequest,
  ): Promise<[ResourceProfile[], number]> {
    const descending = sort.startsWith('-');
    const column = SORT_COLUMNS[sort.replace(/^-/, '')] ?? 'sortOrder';
    const order = {
      [column]: descending ? 'DESC' : 'ASC',
      id: 'ASC',
    } as FindOptionsOrder<ResourceProfile>;
    return this.profiles.findAndCount({
      where: purpose ? { purpose } : {},
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

  async ensureDefaults(): Promise<void> {
    await this.profiles
      .createQueryBuilder()
      .insert()
      .values(DEFAULT_PROFILES.map((profile) => ({ ...profile, purpose: 'service' as const })))
      .orIgnore()
      .execute();
  }
}
