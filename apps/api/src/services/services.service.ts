import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import {
  DEFAULT_SERVICE_CATEGORY,
  ErrorCode,
  type AccessType,
  type ServiceStatus,
  type Labels,
} from '@slipway/contracts';
import {
  type EntityManager,
  type FindOptionsWhere,
  In,
  QueryFailedError,
  Raw,
  type Repository,
} from 'typeorm';
import { generateCredential } from '../common/crypto/credentials';
import { CredentialHasher, SecretBox } from '../common/crypto/crypto.module';
import { DomainError } from '../common/errors/domain-error';
import { type PageRequest } from '../common/http/pagination.dto';
import { type LabelSelector } from '../common/validation/label-filter';
import { APP_CONFIG } from '../config/config.module';
import { type AppConfig } from '../config/config.schema';
import { labelsMatch } from '../database/labels-match';
import { Organization } from '../orgs/organization.entity';
import { OrgsService } from '../orgs/orgs.service';
import { Project } from '../projects/project.entity';
import { ProjectsService } from '../projects/projects.service';
import { RoutesService } from '../routes/routes.service';
import { serviceRefOf } from '../runtime/identity';
import { RUNTIME_DRIVER, type RuntimeDriver, type ServiceRef } from '../runtime/runtime-driver';
import { assertCustomDomains } from './custom-domains';
import { ServiceDomain } from './service-domain.entity';
import { Service } from './service.entity';
import { type TeardownOptions } from './service-teardown';
import { ServiceDeletion } from './service-deletion';

export interface NewService {
  name: string;
  projectId: string;
  description: string | null;
  category: string | undefined;
  accessType: AccessType | undefined;
  labels: Labels;
  tags: readonly string[];
  port: number | undefined;
}

/** Which services to list: those of a project, or of every project of an org. */
export interface ServiceFilter {
  projectId?: string;
  /** With `projectId`, the org the project must belong to. */
  orgId?: string;
  status?: ServiceStatus;
  labels: readonly LabelSelector[];
  /** Every one must be among the service's tags. */
  tags: readonly string[];
}

export interface ServiceChanges {
  description?: string | null;
  category?: string;
  accessType?: AccessType;
  /** null removes the bound; undefined leaves it. */
  minReplicas?: number | null;
  maxReplicas?: number | null;
  /** Replaces the custom domains; undefined leaves them. */
  domains?: readonly string[];
  /** Replaces the labels; undefined leaves them. */
  labels?: Labels;
  /** Replaces the tags; undefined leaves them. */
  tags?: readonly string[];
  port?: number;
}

@Injectable()
export class ServicesService {
  constructor(
    @InjectRepository(Service) private readonly services: Repository<Service>,
    private readonly projects: ProjectsService,
    private readonly orgs: OrgsService,
    private readonly hasher: CredentialHasher,
    private readonly secretBox: SecretBox,
    private readonly deletion: ServiceDeletion,
    private readonly routes: RoutesService,
    @Inject(RUNTIME_DRIVER) private readonly runtime: RuntimeDriver,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async create(userId: string, input: NewService): Promise<Service> {
    const project = await this.projects.requireAccessible(userId, input.projectId);
    await this.assertNameFree(project.id, input.name);
    const id = randomUUID();
    const token = generateCredential('serviceToken');
    const service = await this.services.save(
      this.services.create({
        id,
        orgId: project.orgId,
        projectId: project.id,
        name: input.name,
        description: input.description,
        category: input.category ?? DEFAULT_SERVICE_CATEGORY,
        accessType: input.accessType ?? 'private',
        labels: input.labels,
        tags: [...input.tags],
        ...(input.port !== undefined && { port: input.port }),
        hostname: this.hostnameFor(input.name, id),
        domains: [],
        status: 'created',
        tokenHash: this.hasher.hash(token),
        tokenCiphertext: this.secretBox.encrypt(token),
        createdBy: userId,
      }),
    );
    // The edge knows the hostname from now on: "not deployed" rather than "unknown host".
    await this.routes.republish(service.id);
    return service;
  }

  /** A project or org outside the user's orgs is not found, like everywhere else. */
  async list(
    userId: string,
    filter: ServiceFilter,
    page: PageRequest,
  ): Promise<[Service[], number]> {
    const where: FindOptionsWhere<Service> = {
      ...(filter.status ? { status: filter.status } : {}),
      ...labelsMatch(filter.labels),
      ...(filter.tags.length > 0 && {
        tags: Raw((column) => `${column} @> CAST(:tags AS text[])`, { tags: [...filter.tags] }),
      }),
    };
    if (filter.projectId) {
      where.projectId = (
        await this.projects.requireAccessible(userId, filter.projectId, filter.orgId)
      ).id;
    } else if (filter.orgId) {
      where.orgId = (await this.orgs.requireMembership(userId, filter.orgId)).org.id;
    } else {
      throw DomainError.validation('project_id: is required unless org_id is given');
    }
    return this.services.findAndCount({
      where,
      order: { createdAt: 'DESC', id: 'ASC' },
      skip: page.skip,
      take: page.perPage,
    });
  }

  async get(userId: string, id: string): Promise<Service> {
    const service = await this.services.findOne({ where: { id } });
    if (!service || !(await this.orgs.isMember(userId, service.orgId))) {
      throw DomainError.notFound('Service', id);
    }
    return service;
  }

  async update(userId: string, id: string, changes: ServiceChanges): Promise<Service> {
    const service = await this.get(userId, id);
    const accessChanged =
      changes.accessType !== undefined && changes.accessType !== service.accessType;
    if (changes.description !== undefined) service.description = changes.description;
    if (changes.category !== undefined) service.category = changes.category;
    if (changes.accessType !== undefined) service.accessType = changes.accessType;
    if (changes.minReplicas !== undefined) service.minReplicas = changes.minReplicas;
    if (changes.maxReplicas !== undefined) service.maxReplicas = changes.maxReplicas;
    if (changes.labels !== undefined) service.labels = changes.labels;
    if (changes.tags !== undefined) service.tags = [...changes.tags];
    if (changes.port !== undefined) service.port = changes.port;
    assertBoundsHold(service);
    if (changes.domains) assertCustomDomains(changes.domains, this.config.appsDomain);
    const domains = changes.domains ? [...changes.domains].sort() : undefined;
    const domainsChanged = domains !== undefined && domains.join() !== service.domains.join();
    const saved = await this.services.manager.transaction(async (manager) => {
      if (domains && domainsChanged) {
        await replaceDomains(manager, service.id, domains);
        // Before the commit: when the runtime refuses, the domains stay as they were.
        await this.applyDomains(await this.refOf(service, manager), domains);
      }
      return manager.getRepository(Service).save(service);
    });
    if (domains) saved.domains = domains;
    // The edge routes and enforces access from its route table: it must learn of it now.
    if (accessChanged || domainsChanged) await this.routes.republish(service.id);
    return saved;
  }

  async delete(userId: string, id: string, options: TeardownOptions): Promise<Service> {
    const service = await this.get(userId, id);
    await this.deletion.delete(service, options);
    return service;
  }

  /** The names and ids the runtime knows the service by. */
  async refOf(service: Service, manager = this.services.manager): Promise<ServiceRef> {
    const [org, project] = await Promise.all([
      manager.getRepository(Organization).findOneByOrFail({ id: service.orgId }),
      manager.getRepository(Project).findOneByOrFail({ id: service.projectId }),
    ]);
    return serviceRefOf(org, project, service);
  }

  private async applyDomains(ref: ServiceRef, domains: readonly string[]): Promise<void> {
    try {
      await this.runtime.applyDomains(ref, domains);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new DomainError(
        ErrorCode.ServiceUnavailable,
        `The domains were not changed: the runtime could not route them (${reason}). Try again shortly.`,
      );
    }
  }

  /** Locks the service row for the rest of `manager`'s transaction (404 when it went away). */
  async lockRow(manager: EntityManager, id: string): Promise<Service> {
    const service = await manager
      .getRepository(Service)
      .findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
    if (!service) throw DomainError.notFound('Service', id);
    return service;
  }

  /** `<name>-<first 8 hex of the id>.<apps domain>`: stable, readable and unique. */
  private hostnameFor(name: string, id: string): string {
    return `${name}-${id.replace(/-/g, '').slice(0, 8)}.${this.config.appsDomain}`;
  }

  private async assertNameFree(projectId: string, name: string): Promise<void> {
    if (await this.services.findOne({ where: { projectId, name } })) {
      throw new DomainError(
        ErrorCode.AlreadyExists,
        `A service named '${name}' already exists in this project`,
      );
    }
  }
}

/**
 * Makes `domains` the service's whole list. A domain another service holds is a 409 that
 * does not say which service (the caller may not see it); the primary key settles races.
 */
async function replaceDomains(
  manager: EntityManager,
  serviceId: string,
  domains: readonly string[],
): Promise<void> {
  const repository = manager.getRepository(ServiceDomain);
  const current = (await repository.find({ where: { serviceId } })).map((row) => row.domain);
  const removed = current.filter((domain) => !domains.includes(domain));
  const added = domains.filter((domain) => !current.includes(domain));
  if (removed.length > 0) await repository.delete({ serviceId, domain: In(removed) });
  if (added.length === 0) return;
  const taken = await repository.findOne({
    where: { domain: In(added) },
    order: { domain: 'ASC' },
  });
  if (taken) throw domainInUse(taken.domain);
  try {
    await repository.insert(added.map((domain) => ({ domain, serviceId })));
  } catch (error) {
    const driverError = error instanceof QueryFailedError ? (error.driverError as PgError) : null;
    if (driverError?.code !== UNIQUE_VIOLATION) throw error;
    // A concurrent request claimed one of them: Key (domain)=(shop.example.com) already exists.
    const domain = /\(domain\)=\(([^)]+)\)/.exec(driverError.detail ?? '')?.[1];
    throw domainInUse(domain ?? added.join("', '"));
  }
}

const UNIQUE_VIOLATION = '23505';

interface PgError {
  readonly code?: string;
  readonly detail?: string;
}

function domainInUse(domain: string): DomainError {
  return new DomainError(
    ErrorCode.AlreadyExists,
    `The domain '${domain}' is already in use on this platform; remove it from the other service first`,
  );
}

/** min ≤ max, and a count set by `POST /scale` (other than 0, paused) within them. */
function assertBoundsHold(service: Service): void {
  const { minReplicas: min, maxReplicas: max, instances } = service;
  if (min !== null && max !== null && min > max) {
    throw DomainError.validation(`min_replicas: must not exceed max_replicas (${min} > ${max})`);
  }
  if (instances === null || instances === 0) return;
  if ((min !== null && instances < min) || (max !== null && instances > max)) {
    throw new DomainError(
      ErrorCode.Conflict,
      `The service is scaled to ${instances} instances, outside min_replicas ${min ?? 0} .. max_replicas ${max ?? 'unbounded'}; scale it into the new bounds first`,
    );
  }
}
