/**
 * Slipway's API views in the attribute shape of the stack's JSON, and the declared values
 * in a shape comparable with them: what a plan diffs.
 */
import { createHash, randomBytes } from 'node:crypto';
import { type DeploymentAutoscaling } from '@slipway/contracts';
import {
  STACK_RESOURCE_LABEL,
  IacError,
  RESERVED_LABEL_PREFIX,
  SECRET_ENV_LABEL,
  STACK_LABEL,
  type ActualResource,
  type ResourceType,
  type ServiceConfig,
  type Value,
} from '@slipway/iac';
import { type Schemas } from '../client';

type Labels = Record<string, string>;

/** The labels a user declared: everything but Slipway's own. */
export function userLabels(labels: Labels | undefined): Labels {
  return Object.fromEntries(
    Object.entries(labels ?? {}).filter(([key]) => !key.startsWith(RESERVED_LABEL_PREFIX)),
  );
}

/** The logical name is kept as a label value: at most 63 characters. */
export function ownershipLabels(stack: string, address: string): Labels {
  const name = address.slice(address.indexOf('.') + 1);
  if (name.length > 63 || stack.length > 63) {
    throw new IacError(
      `${address}: stack and construct ids must be at most 63 characters to be kept as labels`,
    );
  }
  return { [STACK_LABEL]: stack, [STACK_RESOURCE_LABEL]: name };
}

export function addressOf(type: ResourceType, labels: Labels | undefined): string | undefined {
  const name = labels?.[STACK_RESOURCE_LABEL];
  return name ? `${type}.${name}` : undefined;
}

const compact = (attributes: Record<string, Value>): Record<string, Value> =>
  Object.fromEntries(Object.entries(attributes).filter(([, value]) => value !== undefined));

export function projectResource(project: Schemas['ProjectView'], address: string): ActualResource {
  return {
    type: 'slipway_project',
    address,
    id: project.id,
    attributes: compact({
      name: project.name,
      description: project.description ?? undefined,
      org_id: project.org_id,
      labels: userLabels(project.labels),
    }),
    computed: { id: project.id, org_id: project.org_id },
  };
}

export function profileResource(
  profile: Schemas['ResourceProfileView'],
  address: string,
): ActualResource {
  return {
    type: 'slipway_resource_profile',
    address,
    id: profile.id,
    attributes: compact({
      name: profile.name,
      description: profile.description ?? undefined,
      cpu: profile.cpu,
      memory: profile.memory,
      gpu_type: profile.gpu_type ?? undefined,
      gpu_count: profile.gpu_count || undefined,
      labels: userLabels(profile.labels),
    }),
    computed: { id: profile.id, name: profile.name },
  };
}

export function accessKeyResource(key: Schemas['AccessKeyView'], address: string): ActualResource {
  return {
    type: 'slipway_access_key',
    address,
    id: key.id,
    attributes: compact({
      name: key.name,
      scope: key.scope,
      org_id: key.scope === 'org' ? key.org_id : undefined,
      project_id: key.project_id ?? undefined,
      labels: userLabels(key.labels),
    }),
    computed: { id: key.id, org_id: key.org_id },
  };
}

/** What a service's secret env is compared by: its names and a salted digest of its values. */
export interface SecretEnvState {
  readonly names: readonly string[];
  readonly digest: string;
}

export function secretEnvDigest(salt: string, values: Readonly<Record<string, string>>): string {
  const canonical = JSON.stringify(Object.entries(values).sort(([a], [b]) => a.localeCompare(b)));
  return `${salt}-${createHash('sha256').update(`${salt}\n${canonical}`).digest('hex').slice(0, 40)}`;
}

export const newSalt = (): string => randomBytes(4).toString('hex');

/** The salt of the digest kept on the service, so the same values compare equal. */
export function saltOf(actual: ActualResource | undefined): string | undefined {
  const state = actual?.attributes.secret_env as SecretEnvState | undefined;
  return state?.digest.split('-')[0];
}

export interface LiveDeployment {
  readonly deployment: Schemas['DeploymentView'];
  readonly profileName: string | undefined;
}

export function serviceResource(
  service: Schemas['ServiceView'],
  address: string,
  live: LiveDeployment | undefined,
): ActualResource {
  const d = live?.deployment;
  const env = d?.env ?? [];
  // The OpenAPI document leaves the view's autoscaling untyped: it is the contract's shape.
  const autoscaling = d?.autoscaling as Partial<DeploymentAutoscaling> | null | undefined;
  const target = autoscaling?.metrics?.[0]?.resource.target.average_utilization;
  const secretNames = env.filter((e) => e.secret).map((e) => e.name);
  const digest = service.labels?.[SECRET_ENV_LABEL];
  return {
    type: 'slipway_service',
    address,
    id: service.id,
    attributes: compact({
      project_id: service.project_id,
      name: service.name,
      description: service.description ?? undefined,
      category: service.category,
      access_type: service.access_control.access_type,
      domains: service.domains,
      labels: userLabels(service.labels),
      tags: service.tags,
      min_instances: service.min_replicas ?? undefined,
      max_instances: service.max_replicas ?? undefined,
      ...(d && {
        image: d.source ? undefined : (d.image ?? undefined),
        source: d.source
          ? {
              sha256: d.source.sha256,
              dockerfile: d.source.docker.file,
              context: d.source.docker.context,
            }
          : undefined,
        env: Object.fromEntries(env.filter((e) => !e.secret).map((e) => [e.name, e.value])),
        secret_env:
          secretNames.length || digest
            ? { names: secretNames.sort(), digest: digest ?? 'unknown' }
            : undefined,
        resource_profile: live?.profileName,
        resources: { cpu: d.resources.limits.cpu, memory: d.resources.limits.memory },
        instances: service.instances ?? d.replicas,
        autoscaling: autoscaling
          ? compact({
              min_instances: autoscaling.min_replicas,
              max_instances: autoscaling.max_replicas,
              target_cpu_percent: target,
              target_concurrency: autoscaling.target_concurrency ?? undefined,
              // Its default when it may sleep: `autoscalingAsApplied` reads declared ones alike.
              idle_timeout_seconds: autoscaling.idle_timeout_seconds ?? undefined,
            })
          : undefined,
        port: service.port,
        health_check_path: d.health_check_path ?? undefined,
        command: d.command ?? undefined,
        args: d.args ?? undefined,
        volumes: d.volumes.length ? d.volumes : undefined,
      }),
    }),
    computed: {
      id: service.id,
      hostname: service.hostname,
      status: service.status,
      org_id: service.org_id,
      ...(d && { deployment_id: d.id }),
    },
  };
}

/** Attributes whose change needs a new deployment (the rest change with `PUT /services/{id}`). */
export const DEPLOYMENT_ATTRIBUTES: ReadonlySet<string> = new Set<keyof ServiceConfig>([
  'image',
  'source',
  'env',
  'secret_env',
  'resource_profile',
  'resources',
  'autoscaling',
  'port',
  'health_check_path',
  'command',
  'args',
  'volumes',
]);

/** The deployment settings a declared service asks for, as the deploy route takes them. */
export function deploySettings(
  config: ServiceConfig,
  profileId: string | undefined,
): Omit<Schemas['ImageDeployDto'], 'image'> {
  const env = [
    ...Object.entries(config.env ?? {}).map(([name, value]) => ({ name, value, secret: false })),
    ...Object.entries(config.secret_env ?? {}).map(([name, value]) => ({
      name,
      value,
      secret: true,
    })),
  ];
  const quantities = config.resources && {
    cpu: config.resources.cpu,
    memory: config.resources.memory,
  };
  return {
    ...(profileId && { resource_profile_id: profileId }),
    ...(quantities && { resources: { requests: quantities, limits: quantities } }),
    ...(env.length && { env }),
    ...(config.instances !== undefined && { replicas: config.instances }),
    ...(config.autoscaling && {
      autoscaling: {
        min_replicas: config.autoscaling.min_instances,
        max_replicas: config.autoscaling.max_instances,
        metrics: [
          {
            type: 'resource',
            resource: {
              name: 'cpu',
              target: {
                type: 'utilization',
                average_utilization: config.autoscaling.target_cpu_percent,
              },
            },
          },
        ],
        ...(config.autoscaling.target_concurrency !== undefined && {
          target_concurrency: config.autoscaling.target_concurrency,
        }),
        ...(config.autoscaling.idle_timeout_seconds !== undefined && {
          idle_timeout_seconds: config.autoscaling.idle_timeout_seconds,
        }),
      },
    }),
    ...(config.port !== undefined && { port: config.port }),
    ...(config.health_check_path && { health_check_path: config.health_check_path }),
    ...(config.command && { command: config.command }),
    ...(config.args && { args: config.args }),
    ...(config.volumes && { volumes: config.volumes }),
  };
}
