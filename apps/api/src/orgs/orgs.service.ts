import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { ErrorCode } from '@slipway/contracts';
import { DataSource, type Repository } from 'typeorm';
import { DomainError } from '../common/errors/domain-error';
import { type PageRequest } from '../common/http/pagination.dto';
import { UsersService } from '../users/users.service';
import { Membership, type OrgRole } from './membership.entity';
import { Organization } from './organization.entity';

export interface OrgWithRole {
  org: Organization;
  role: OrgRole;
}

const MANAGING_ROLES: readonly OrgRole[] = ['owner', 'admin'];

/**
 * Organizations and who belongs to them. Anything outside the caller's orgs is reported
 * as not found, so ids of other tenants cannot be probed.
 */
@Injectable()
export class OrgsService {
  constructor(
    @InjectRepository(Organization) private readonly orgs: Repository<Organization>,
    @InjectRepository(Membership) private readonly memberships: Repository<Membership>,
    private readonly users: UsersService,
    private readonly dataSource: DataSource,
  ) {}

  async requireMembership(userId: string, orgId: string): Promise<OrgWithRole> {
    const membership = await this.memberships.findOne({
      where: { orgId, userId },
      relations: { org: true },
    });
    if (!membership?.org) throw DomainError.notFound('Organization', orgId);
    return { org: membership.org, role: membership.role };
  }

  /** One indexed lookup: is the user a member of this org? */
  isMember(userId: string, orgId: string): Promise<boolean> {
    return this.memberships.exists({ where: { orgId, userId } });
  }

  /** Ids of every org the user belongs to. */
  async orgIdsOf(userId: string): Promise<string[]> {
    const rows = await this.memberships.find({ where: { userId }, select: { orgId: true } });
    return rows.map((row) => row.orgId);
  }

  async list(userId: string, page: PageRequest): Promise<[OrgWithRole[], number]> {
    const [rows, total] = await this.memberships.findAndCount({
      where: { userId },
      relations: { org: true },
      order: { createdAt: 'ASC', orgId: 'ASC' },
      skip: page.skip,
      take: page.perPage,
    });
    return [rows.flatMap((row) => (row.org ? [{ org: row.org, role: row.role }] : [])), total];
  }

  async create(userId: string, name: string, description: string | null): Promise<OrgWithRole> {
    return this.dataSource.transaction(async (manager) => {
      const org = await manager.save(manager.create(Organization, { name, description }));
      await manager.save(manager.create(Membership, { orgId: org.id, userId, role: 'owner' }));
      return { org, role: 'owner' as const };
    });
  }

  /** Bootstrap: the org of this name owned by the user, created if missing. */
  async ensureOwned(userId: string, name: string): Promise<Organization> {
    const existing = await this.memberships
      .createQueryBuilder('m')
      .innerJoinAndSelect('m.org', 'org')
      .where('m.user_id = :userId AND m.role = :role AND org.name = :name', {
        userId,
        role: 'owner',
        name,
      })
      .orderBy('org.created_at', 'ASC')
      .getOne();
    return existing?.org ?? (await this.create(userId, name, null)).org;
  }

  async listMembers(
    userId: string,
    orgId: string,
    page: PageRequest,
  ): Promise<[Membership[], number]> {
    await this.requireMembership(userId, orgId);
    return this.memberships.findAndCount({
      where: { orgId },
      relations: { user: true },
      order: { createdAt: 'ASC', userId: 'ASC' },
      skip: page.skip,
      take: page.perPage,
    });
  }

  async addMember(
    actorId: string,
    orgId: string,
    email: string,
    role: OrgRole,
  ): Promise<Membership> {
    const { role: actorRole } = await this.requireMembership(actorId, orgId);
    if (!MANAGING_ROLES.includes(actorRole))
      throw DomainError.forbidden('Only owners and admins can add members');
    if (role === 'owner' && actorRole !== 'owner')
      throw DomainError.forbidden('Only owners can add owners');
    const user = await this.users.findByEmail(email);
    if (!user)
      throw new DomainError(ErrorCode.NotFound, `No user has the email ${email.toLowerCase()}`);
    if (await this.memberships.findOne({ where: { orgId, userId: user.id } })) {
      throw new DomainError(
        ErrorCode.AlreadyExists,
        `${user.email} is already a member of this organization`,
      );
    }
    const membership = await this.memberships.save(
      this.memberships.create({ orgId, userId: user.id, role }),
    );
    return { ...membership, user };
  }
}
