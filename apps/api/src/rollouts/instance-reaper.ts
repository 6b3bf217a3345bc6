import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { IN_PROGRESS_DEPLOYMENT_STATUSES, type DeploymentStatus } from '@slipway/contracts';
import { DataSource } from 'typeorm';
import { PeriodicTask } from '../common/scheduling/periodic-task';
import { APP_CONFIG } from '../config/config.module';
import { type AppConfig } from '../config/config.schema';
import { RUNTIME_DRIVER, type OwnedInstance, type RuntimeDriver } from '../runtime/runtime-driver';

const SWEEP_INTERVAL_MS = 60_000;
/** Beyond the drain and the stop grace: a retire job that is merely late is not beaten to it. */
const LATE_MARGIN_MS = 60_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** What the database says about the services the instances belong to. */
interface Owners {
  readonly services: ReadonlySet<string>;
  /** Per service: the live deployment and the addresses its route lists. */
  readonly routes: ReadonlyMap<string, { deploymentId: string | null; hosts: Set<string> }>;
  readonly deployments: ReadonlyMap<string, DeploymentStatus>;
}

/**
 * Removes instances of this installation that nothing owns any more: those of deleted
 * services, those set aside whose retire job never ran (lost with Redis, say), and those of
 * deployments that ended without becoming live. It only ever sees containers labelled with
 * this installation's id, never judging a container by "not in my database" alone, and it
 * spares anything a route still lists or a rollout in progress may still use.
 */
@Injectable()
export class InstanceReaper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(InstanceReaper.name);
  private readonly schedule = new PeriodicTask(
    'reaping instances',
    () => this.sweep(),
    this.logger,
  );

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(RUNTIME_DRIVER) private readonly runtime: RuntimeDriver,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (this.runtime.kind === 'docker') this.schedule.start(SWEEP_INTERVAL_MS);
  }

  onApplicationShutdown(): Promise<void> {
    return this.schedule.stop();
  }

  /** One pass; answers the ids it removed. */
  async sweep(now = Date.now()): Promise<string[]> {
    const instances = await this.runtime.ownedInstances();
    if (instances.length === 0) return [];
    const owners = await this.owners(instances);
    const graceMs =
      (this.config.runtime.drainSeconds + this.config.runtime.docker.stopTimeoutSeconds) * 1000 +
      LATE_MARGIN_MS;
    const orphans = instances.filter((instance) => isOrphan(instance, owners, now - graceMs));
    if (orphans.length === 0) return [];
    this.logger.log(`removing ${orphans.length} instance(s) no deployment owns`);
    await this.runtime.reap(orphans.map((instance) => instance.id));
    return orphans.map((instance) => instance.id);
  }

  private async owners(instances: readonly OwnedInstance[]): Promise<Owners> {
    const serviceIds = unique(instances.map((instance) => instance.serviceId));
    const deploymentIds = unique(instances.map((instance) => instance.deploymentId ?? ''));
    const [services, routes, deployments] = await Promise.all([
      this.dataSource.query<{ id: string }[]>(
        'SELECT id FROM services WHERE id = ANY($1::uuid[])',
        [serviceIds],
      ),
      this.dataSource.query<
        { service_id: string; deployment_id: string | null; endpoints: { host: string }[] }[]
      >(
        'SELECT service_id, deployment_id, endpoints FROM service_routes WHERE service_id = ANY($1::uuid[])',
        [serviceIds],
      ),
      this.dataSource.query<{ id: string; status: DeploymentStatus }[]>(
        'SELECT id, status FROM deployments WHERE id = ANY($1::uuid[])',
        [deploymentIds],
      ),
    ]);
    return {
      services: new Set(services.map((row) => row.id)),
      routes: new Map(
        routes.map((row) => [
          row.service_id,
          {
            deploymentId: row.deployment_id,
            hosts: new Set(row.endpoints.map((endpoint) => endpoint.host)),
          },
        ]),
      ),
      deployments: new Map(deployments.map((row) => [row.id, row.status])),
    };
  }
}

/** `cutoff`: set aside or created before it, an unowned instance is not merely in transit. */
export function isOrphan(instance: OwnedInstance, owners: Owners, cutoff: number): boolean {
  if (!owners.services.has(instance.serviceId)) return true;
  const route = owners.routes.get(instance.serviceId);
  if (instance.address !== null && route?.hosts.has(instance.address)) return false;
  if (instance.setAsideAt !== null) return instance.setAsideAt.getTime() < cutoff;
  if (instance.deploymentId === null) return instance.createdAt.getTime() < cutoff;
  if (instance.deploymentId === route?.deploymentId) return false;
  const status = owners.deployments.get(instance.deploymentId);
  if (status !== undefined && isInProgress(status)) return false;
  return instance.createdAt.getTime() < cutoff;
}

function isInProgress(status: DeploymentStatus): boolean {
  return (IN_PROGRESS_DEPLOYMENT_STATUSES as readonly DeploymentStatus[]).includes(status);
}

function unique(ids: readonly string[]): string[] {
  return [...new Set(ids.filter((id) => UUID.test(id)))];
}
