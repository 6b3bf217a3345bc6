import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { ErrorCode } from '@slipway/contracts';
import { In, type Repository } from 'typeorm';
import { DomainError } from '../common/errors/domain-error';
import { type PageRequest } from '../common/http/pagination.dto';
import { OrgsService } from '../orgs/orgs.service';
import { Project } from './project.entity';

@Injectable()
export class ProjectsService {
  constructor(
    @InjectRepository(Project) private readonly projects: Repository<Project>,
    private readonly orgs: OrgsService,
  ) {}

  /** The project, if it lives in one of the user's orgs (and in `orgId` when given). */
  async requireAccessible(userId: string, projectId: string, orgId?: string): Promise<Project> {
    const project = await this.projects.findOne({ where: { id: projectId } });
    const visible =
      project &&
      (!orgId || project.orgId === orgId) &&
      (await this.orgs.isMember(userId, project.orgId));
    if (!visible) throw DomainError.notFound('Project', projectId);
    return project;
  }

  async list(
    userId: string,
    orgId: string | undefined,
    page: PageRequest,
  ): Promise<[Project[], number]> {
    if (orgId) await this.orgs.requireMembership(userId, orgId);
    const orgIds = orgId ? [orgId] : await this.orgs.orgIdsOf(userId);
    return this.projects.findAndCount({
      where: { orgId: In(orgIds) },
      order: { createdAt: 'ASC', id: 'ASC' },
      skip: page.skip,
      take: page.perPage,
    });
  }

  async create(
    userId: string,
    orgId: string,
    name: string,
    description: string | null,
  ): Promise<Project> {
    await this.orgs.requireMembership(userId, orgId);
    if (await this.projects.findOne({ where: { orgId, name } })) {
      throw new DomainError(
        ErrorCode.AlreadyExists,
        `A project named '${name}' already exists in this organization`,
      );
    }
    return this.projects.save(this.projects.create({ orgId, name, description }));
  }

  /** Bootstrap: the project of this name in the org, created if missing. */
  async ensure(orgId: string, name: string): Promise<Project> {
    return (
      (await this.projects.findOne({ where: { orgId, name } })) ??
      this.projects.save(this.projects.create({ orgId, name, description: null }))
    );
  }
}
