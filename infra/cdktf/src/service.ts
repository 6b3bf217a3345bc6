import { existsSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import {
  AUTOSCALING_BOUNDS,
  BUILT_IN_PROFILES,
  ENV_NAME,
  SERVICE_NAME,
  SERVICE_PORT_RANGE,
  tagsProblem,
} from '@slipway/iac';
import { App, TerraformResource, TerraformStack, Token } from 'cdktn';
import { type Construct } from 'constructs';
import { checkLabels, checkPattern } from './labels';
import { type Project } from './project';
import { ResourceProfile } from './resource-profile';

export interface ServiceSource {
  /** The directory to build (relative to where the app runs, as cdktf.json's `app` is). */
  readonly directory: string;
  /** The Dockerfile, relative to `directory`. Default `Dockerfile`. */
  readonly dockerfile?: string;
  /** The build context, relative to `directory`. Default `.`. */
  readonly context?: string;
}

export interface ServiceProps {
  readonly project: Project | string;
  /** A DNS label of at most 54 characters, unique in the project; cannot change in place. */
  readonly name: string;
  readonly description?: string;
  /** Default `general`. */
  readonly category?: string;
  /** Default `private`: callers need an Access Key. */
  readonly accessType?: 'private' | 'public';
  readonly domains?: readonly string[];
  readonly labels?: Readonly<Record<string, string>>;
  /** Short lowercase words (`team-a`, `gpu`); `slipway service list --tag` filters by them. */
  readonly tags?: readonly string[];
  /** A container image to run; or `source`, exactly one. */
  readonly image?: string;
  /** A directory with a Dockerfile, built by Slipway; redeployed when its content changes. */
  readonly source?: ServiceSource;
  /** Plain env vars. */
  readonly env?: Readonly<Record<string, string>>;
  /** Secret env vars: each value must reference a sensitive TerraformVariable. */
  readonly secretEnv?: Readonly<Record<string, string>>;
  /** A profile declared in the stack or a built-in one by name. Default: the API's default. */
  readonly resourceProfile?: ResourceProfile | (typeof BUILT_IN_PROFILES)[number];
  /** Explicit CPU and memory instead of a profile. */
  readonly resources?: { readonly cpu: string; readonly memory: string };
  /** Instances to run (default 1). */
  readonly instances?: number;
  /** Bounds for `slipway service scale` and autoscaling. */
  readonly minInstances?: number;
  readonly maxInstances?: number;
  readonly autoscaling?: ServiceAutoscaling;
  /** The port the container listens on, given to it as `PORT` (default 8080). */
  readonly port?: number;
  /** The readiness path (default: a TCP check on the port). */
  readonly healthCheckPath?: string;
  readonly command?: readonly string[];
  readonly args?: readonly string[];
  /**
   * Persistent storage: each instance gets its own volume of each (instance N always mounts
   * ordinal N's), kept across deploys, restarts and scaling; rollouts then replace one
   * instance at a time. At most 8.
   */
  readonly volumes?: readonly ServiceVolume[];
}

/** Instances between a minimum and a maximum, by CPU and (docker runtime) by requests. */
export interface ServiceAutoscaling {
  /** The fewest instances, 0..100; 0 lets an idle service sleep until its next request. */
  readonly minInstances: number;
  readonly maxInstances: number;
  /** The average CPU utilization to keep, 1..100. */
  readonly targetCpuPercent: number;
  /**
   * In-flight requests per instance to scale to, 1..1000 (docker runtime): more scale out at
   * once, fewer scale in after a calm while.
   */
  readonly targetConcurrency?: number;
  /**
   * Only with `minInstances: 0`: seconds without a request before the service sleeps,
   * 10..86400 (default 900).
   */
  readonly idleTimeoutSeconds?: number;
}

export interface ServiceVolume {
  /** A DNS label, unique within the service. */
  readonly name: string;
  /** An absolute path, not under /tmp. */
  readonly mountPath: string;
  /** Per instance, 1Gi..16Ti: `10Gi`. */
  readonly size: string;
}

/** `slipway_service`: a service and the deployment it should run. */
export class Service extends TerraformResource {
  constructor(
    scope: Construct,
    id: string,
    private readonly props: ServiceProps,
  ) {
    super(scope, id, {
      terraformResourceType: 'slipway_service',
      terraformGeneratorMetadata: { providerName: 'slipway' },
    });
    const path = this.node.path;
    checkPattern(
      path,
      'name',
      props.name,
      SERVICE_NAME,
      'must be a DNS label of at most 54 characters',
    );
    if ((props.image === undefined) === (props.source === undefined))
      throw new Error(`${path}: give either image or source, exactly one`);
    if (props.source) checkSource(path, props.source);
    if (props.resourceProfile !== undefined && props.resources !== undefined)
      throw new Error(`${path}: give resourceProfile or resources, not both`);
    if (
      typeof props.resourceProfile === 'string' &&
      !BUILT_IN_PROFILES.includes(props.resourceProfile)
    )
      throw new Error(
        `${path}: unknown resource profile "${String(props.resourceProfile)}": built-in ones are ${BUILT_IN_PROFILES.join(', ')}; declare a ResourceProfile for others`,
      );
    for (const name of [...Object.keys(props.env ?? {}), ...Object.keys(props.secretEnv ?? {})])
      if (!ENV_NAME.test(name))
        throw new Error(`${path}: "${name}" is not an environment variable name`);
    for (const [name, value] of Object.entries(props.secretEnv ?? {}))
      if (!Token.isUnresolved(value))
        throw new Error(
          `${path}: secretEnv ${name} must reference a sensitive TerraformVariable, not be written as a literal`,
        );
    const shared = Object.keys(props.env ?? {}).filter(
      (name) => props.secretEnv?.[name] !== undefined,
    );
    if (shared.length) throw new Error(`${path}: ${shared.join(', ')} in both env and secretEnv`);
    checkCounts(path, props);
    checkVolumes(path, props.volumes ?? []);
    const { min, max } = SERVICE_PORT_RANGE;
    if (
      props.port !== undefined &&
      !(Number.isInteger(props.port) && props.port >= min && props.port <= max)
    )
      throw new Error(`${path}: port must be an integer from ${min} to ${max} (got ${props.port})`);
    checkLabels(path, props.labels);
    const tagProblem = props.tags && tagsProblem(props.tags);
    if (tagProblem) throw new Error(`${path}: tags: ${tagProblem}`);
    // A declared profile must exist before the service that names it.
    if (props.resourceProfile instanceof ResourceProfile)
      this.dependsOn = [props.resourceProfile.fqn];
  }

  get id(): string {
    return this.getStringAttribute('id');
  }

  /** `<name>-<short id>.<apps domain>`, known after apply. */
  get hostname(): string {
    return this.getStringAttribute('hostname');
  }

  protected override synthesizeAttributes(): Record<string, unknown> {
    const p = this.props;
    const profile = p.resourceProfile;
    return {
      project_id: typeof p.project === 'string' ? p.project : p.project.id,
      name: p.name,
      description: p.description,
      category: p.category,
      access_type: p.accessType,
      domains: p.domains,
      labels: p.labels,
      tags: p.tags,
      image: p.image,
      source: p.source && this.sourceBlock(p.source),
      env: p.env,
      secret_env: p.secretEnv,
      resource_profile: profile instanceof ResourceProfile ? profile.props.name : profile,
      resources: p.resources,
      instances: p.instances,
      min_instances: p.minInstances,
      max_instances: p.maxInstances,
      autoscaling: p.autoscaling && {
        min_instances: p.autoscaling.minInstances,
        max_instances: p.autoscaling.maxInstances,
        target_cpu_percent: p.autoscaling.targetCpuPercent,
        target_concurrency: p.autoscaling.targetConcurrency,
        idle_timeout_seconds: p.autoscaling.idleTimeoutSeconds,
      },
      port: p.port,
      health_check_path: p.healthCheckPath,
      command: p.command,
      args: p.args,
      volumes: p.volumes?.map((v) => ({ name: v.name, mount_path: v.mountPath, size: v.size })),
    };
  }

  /** The directory is written relative to the synthesized stack, which travels with it. */
  private sourceBlock(source: ServiceSource): Record<string, string> {
    const stackDir = join(App.of(this).outdir, 'stacks', TerraformStack.of(this).node.id);
    return {
      path: relative(resolve(stackDir), resolve(source.directory)) || '.',
      dockerfile: source.dockerfile ?? 'Dockerfile',
      context: source.context ?? '.',
    };
  }
}

function checkSource(path: string, source: ServiceSource): void {
  const dir = resolve(source.directory);
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw new Error(`${path}: source.directory ${source.directory} is not a directory`);
  const dockerfile = source.dockerfile ?? 'Dockerfile';
  if (!existsSync(join(dir, dockerfile)))
    throw new Error(`${path}: no ${dockerfile} in ${source.directory}`);
}

function checkVolumes(path: string, volumes: readonly ServiceVolume[]): void {
  if (volumes.length > 8) throw new Error(`${path}: at most 8 volumes (got ${volumes.length})`);
  const names = new Set<string>();
  for (const volume of volumes) {
    if (!/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/.test(volume.name) || names.has(volume.name))
      throw new Error(`${path}: volume name "${volume.name}" must be a unique lowercase DNS label`);
    names.add(volume.name);
    if (!volume.mountPath.startsWith('/') || /^\/tmp(\/|$)/.test(volume.mountPath))
      throw new Error(
        `${path}: volume ${volume.name}: mountPath must be an absolute path, not under /tmp (got ${volume.mountPath})`,
      );
  }
}

function checkCounts(path: string, p: ServiceProps): void {
  const count = (field: string, value: number | undefined, min: number) => {
    if (value !== undefined && !(Number.isInteger(value) && value >= min && value <= 100))
      throw new Error(`${path}: ${field} must be an integer from ${min} to 100`);
  };
  count('instances', p.instances, 0);
  count('minInstances', p.minInstances, 0);
  count('maxInstances', p.maxInstances, 1);
  if (
    p.minInstances !== undefined &&
    p.maxInstances !== undefined &&
    p.minInstances > p.maxInstances
  )
    throw new Error(`${path}: minInstances must not exceed maxInstances`);
  if (p.autoscaling) checkAutoscaling(path, p.autoscaling, count);
}

function checkAutoscaling(
  path: string,
  a: ServiceAutoscaling,
  count: (field: string, value: number | undefined, min: number) => void,
): void {
  count('autoscaling.minInstances', a.minInstances, 0);
  count('autoscaling.maxInstances', a.maxInstances, 1);
  count('autoscaling.targetCpuPercent', a.targetCpuPercent, 1);
  if (a.minInstances > a.maxInstances)
    throw new Error(`${path}: autoscaling.minInstances must not exceed autoscaling.maxInstances`);
  const within = (field: string, value: number | undefined, bounds: Bounds) => {
    if (
      value !== undefined &&
      !(Number.isInteger(value) && value >= bounds.min && value <= bounds.max)
    )
      throw new Error(
        `${path}: autoscaling.${field} must be an integer from ${bounds.min} to ${bounds.max} (got ${value})`,
      );
  };
  within('targetConcurrency', a.targetConcurrency, AUTOSCALING_BOUNDS.targetConcurrency);
  within('idleTimeoutSeconds', a.idleTimeoutSeconds, AUTOSCALING_BOUNDS.idleTimeoutSeconds);
  // The API refuses it: only a service that may scale to zero sleeps.
  if (a.idleTimeoutSeconds !== undefined && a.minInstances !== 0)
    throw new Error(
      `${path}: autoscaling.idleTimeoutSeconds only applies with autoscaling.minInstances 0, a service that may sleep (got ${a.minInstances})`,
    );
}

interface Bounds {
  readonly min: number;
  readonly max: number;
}
