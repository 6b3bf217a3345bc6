import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { ErrorCode, type Labels } from '@slipway/contracts';
import { type EntityManager, In, type Repository } from 'typeorm';
import { DomainError } from '../common/errors/domain-error';
import { type PageRequest } from '../common/http/pagination.dto';
import { type LabelSelector } from '../common/validation/label-filter';
import { labelsMatch } from '../database/labels-match';
import { OrgsService } from '../orgs/orgs.service';
import { Service } from '../services/service.entity';
import { Project } from './project.entity';

export interface NewProject {
  name: string;
  description: string | null;
  labels: Labels;
}

/** The fields to change; undefined leaves one as it is (a null description removes it). */
export interface ProjectChanges {
  name?: string;
  description?: string | null;
  labels?: Labels;
}

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
    labels: readonly LabelSelector[],
    page: PageRequest,
  ): Promise<[Project[], number]> {
    if (orgId) await this.orgs.requireMembership(userId, orgId);
    const orgIds = orgId ? [orgId] : await this.orgs.orgIdsOf(userId);
    return this.projects.findAndCount({
      where: { orgId: In(orgIds), ...labelsMatch(labels) },
      order: { createdAt: 'ASC', id: 'ASC' },
      skip: page.skip,
      take: page.perPage,
    });
  }

  async create(userId: string, orgId: string, input: NewProject): Promise<Project> {
    await this.orgs.requireMembership(userId, orgId);
    await this.assertNameFree(orgId, input.name);
    return this.projects.save(this.projects.create({ orgId, ...input }));
  }

  /**
   * Changes what a member of the project's org asks for. A rename waits for the project to
   * be empty: runtimes name the objects of its services after it (the Kubernetes namespace).
   */
  async update(userId: string, id: string, changes: ProjectChanges): Promise<Project> {
    await this.requireAccessible(userId, id);
    return this.projects.manager.transaction(async (manager) => {
      const project = await this.lockRow(manager, id);
      if (changes.name !== undefined && changes.name !== project.name) {
        await assertNoServices(
          manager,
          project,
          'it can be renamed only while it has none, since runtimes name their objects after it',
        );
        await this.assertNameFree(project.orgId, changes.name, manager);
        project.name = changes.name;
      }
      if (changes.description !== undefined) project.description = changes.description;
      if (changes.labels !== undefined) project.labels = changes.labels;
      return manager.getRepository(Project).save(project);
    });
  }

  /** Deletes an empty project (its project-scoped access keys go with it). */
  async delete(userId: string, id: string): Promise<Project> {
    await this.requireAccessible(userId, id);
    return this.projects.manager.transaction(async (manager) => {
      // Locked first: a service created meanwhile waits for this transaction, then fails.
      const project = await this.lockRow(manager, id);
      await assertNoServices(manager, project, 'delete them first');
      await manager.getRepository(Project).delete({ id: project.id });
      return project;
    });
  }

  /** Bootstrap: the project of this name in the org, created if missing. */
  async ensure(orgId: string, name: string): Promise<Project> {
    return (
      (await this.projects.findOne({ where: { orgId, name } })) ??
      this.projects.save(this.projects.create({ orgId, name, description: null }))
    );
  }

  private async lockRow(manager: EntityManager, id: string): Promise<Project> {
    const project = await manager
      .getRepository(Project)
      .findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
    if (!project) throw DomainError.notFound('Project', id);
    return project;
  }

  private async assertNameFree(
    orgId: string,
    name: string,
    manager: EntityManager = this.projects.manager,
  ): Promise<void> {
    if (await manager.getRepository(Project).exists({ where: { orgId, name } })) {
      throw new DomainError(
        ErrorCode.AlreadyExists,
        `A project named '${name}' already exists in this organization`,
      );
    }
  }
}

async function assertNoServices(
  manager: EntityManager,
  project: Project,
  remedy: string,
): Promise<void> {
  const count = await manager.getRepository(Service).count({ where: { projectId: project.id } });
  if (count === 0) return;
  throw new DomainError(
    ErrorCode.ProjectNotEmpty,
    `Project '${project.name}' still has ${count} ${count === 1 ? 'service' : 'services'}; ${remedy} (GET /v1/services?project_id=${project.id} lists them)`,
  );
}
